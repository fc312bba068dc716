package io.pyromesh.server;

import io.pyromesh.errors.DaemonError;
import java.lang.reflect.Constructor;
import java.util.function.Supplier;

/** One entry of a daemon's object table: a registered object, or a class and its instance mode. */
final class Registration {
    final String id;
    final ExposedType exposed;
    /** The registered object, or the registered class. */
    final Object registered;
    final InstanceMode mode;
    private final Supplier<?> creator;
    private final Sessions sessions;
    private volatile Object single;

    private Registration(String id, ExposedType exposed, Object registered, InstanceMode mode, Supplier<?> creator, Sessions sessions) {
        this.id = id;
        this.exposed = exposed;
        this.registered = registered;
        this.mode = mode;
        this.creator = creator;
        this.sessions = sessions;
    }

    static Registration ofObject(String id, Object object) {
        return new Registration(id, ExposedType.of(object.getClass()), object, InstanceMode.SINGLE, null, null);
    }

    static <T> Registration ofClass(String id, Class<T> type, Supplier<? extends T> creator, Sessions sessions) {
        Behavior behavior = type.getAnnotation(Behavior.class);
        InstanceMode mode = behavior == null ? InstanceMode.SESSION : behavior.instanceMode();
        Supplier<?> make = creator != null ? checked(type, creator) : constructorOf(type);
        return new Registration(id, ExposedType.of(type), type, mode, make, sessions);
    }

    boolean isClass() {
        return registered instanceof Class<?>;
    }

    /** The instance that serves a call from {@code session} (a session id, or the caller's address). */
    Object instanceFor(String session) {
        if (!isClass()) {
            return registered;
        }
        return switch (mode) {
            case SINGLE -> single();
            case SESSION -> sessions.instance(session, id, creator);
            case PERCALL -> creator.get();
        };
    }

    /** Lets go of an instance after its call, where the mode says it lives no longer. */
    void afterCall(Object instance) {
        if (isClass() && mode == InstanceMode.PERCALL) {
            Sessions.closeQuietly(instance);
        }
    }

    void close() {
        if (single != null) {
            Sessions.closeQuietly(single);
        }
    }

    private Object single() {
        Object instance = single;
        if (instance == null) {
            synchronized (this) {
                instance = single;
                if (instance == null) {
                    instance = creator.get();
                    single = instance;
                }
            }
        }
        return instance;
    }

    private static <T> Supplier<T> checked(Class<T> type, Supplier<? extends T> creator) {
        return () -> {
            T instance = creator.get();
            if (!type.isInstance(instance)) {
                throw new DaemonError("instance creator returned object of different type: expected " + type.getName()
                        + ", got " + (instance == null ? "null" : instance.getClass().getName()));
            }
            return instance;
        };
    }

    private static <T> Supplier<T> constructorOf(Class<T> type) {
        Constructor<T> constructor;
        try {
            constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new IllegalArgumentException(type.getName()
                    + " has no accessible no-argument constructor: register it with an instance creator");
        }
        return () -> {
            try {
                return constructor.newInstance();
            } catch (ReflectiveOperationException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw new DaemonError("cannot create an instance of " + type.getName() + ": " + cause, cause);
            }
        };
    }
}
