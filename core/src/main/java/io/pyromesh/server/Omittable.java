package io.pyromesh.server;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A parameter a caller may leave out, positionally (trailing) or by not naming it: it then receives
 * null, like a Python parameter whose default is {@code None}. This is how exposed methods offer
 * Pyro's optional arguments, e.g. {@code lookup(name, return_metadata=False)}. Only for reference types.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Omittable {}
