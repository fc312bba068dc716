package io.pyromesh.server;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes members reachable remotely; nothing else is. On a method, exposes that method; on a JavaBean
 * getter ({@code getX()}/{@code isX()}) or setter ({@code setX(v)}), exposes the remote property
 * {@code x} instead of a method. On a class or interface, exposes the public methods it declares itself
 * (not those it inherits: expose base types separately, as Pyro does). Exposing an interface and
 * implementing it is the usual way to give a remote object a contract. Names starting with {@code _}
 * are never exposed (apart from Pyro's public dunder names such as {@code __len__}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Expose {}
