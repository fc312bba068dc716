package io.pyromesh.server;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The instance mode of a class registered with {@link Daemon#register(Class)} (Pyro's
 * {@code @behavior}). Without it a class is in {@link InstanceMode#SESSION} mode. Instances are made by
 * the class's public no-argument constructor, or by the creator passed to
 * {@link Daemon#register(Class, String, java.util.function.Supplier)}. Instances that are
 * {@link AutoCloseable} are closed when the daemon lets go of them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Behavior {
    InstanceMode instanceMode() default InstanceMode.SESSION;
}
