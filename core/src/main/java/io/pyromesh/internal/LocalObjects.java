package io.pyromesh.internal;

import io.pyromesh.proto.v1.ProxyRef;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The objects this process serves, for Pyro's autoproxy: an object registered with any daemon of the
 * process travels as a reference to itself, wherever it is sent from, as a Pyro object knows its
 * daemon. Daemons add themselves while they run.
 */
public final class LocalObjects {
    private static final List<Function<Object, ProxyRef>> SOURCES = new CopyOnWriteArrayList<>();

    private LocalObjects() {}

    /** Adds a source of references (a daemon's registered objects); returns how to remove it. */
    public static Runnable add(Function<Object, ProxyRef> references) {
        SOURCES.add(references);
        return () -> SOURCES.remove(references);
    }

    /** The reference to {@code object} if a daemon of this process serves it, else null. */
    public static ProxyRef referenceTo(Object object) {
        for (Function<Object, ProxyRef> source : SOURCES) {
            ProxyRef ref = source.apply(object);
            if (ref != null) {
                return ref;
            }
        }
        return null;
    }
}
