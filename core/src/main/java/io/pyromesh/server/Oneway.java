package io.pyromesh.server;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an exposed method fire-and-forget: the daemon answers the caller at once and runs the method in
 * the background. Its result and exceptions never reach the caller. Proxies learn this from the
 * object's metadata, so callers need do nothing special.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Oneway {}
