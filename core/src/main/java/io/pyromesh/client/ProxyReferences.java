package io.pyromesh.client;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.ProxyRef;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.values.RemoteReferences;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * How proxies and registered objects travel as values. A proxy, or an object registered with a daemon
 * of this process (Pyro's autoproxy), is sent as a {@link ProxyRef}; a received reference becomes a
 * {@link Proxy}, or a typed proxy when the receiving parameter or result is an interface.
 */
public final class ProxyReferences implements RemoteReferences {
    public static final ProxyReferences INSTANCE = new ProxyReferences();

    private final List<Function<Object, ProxyRef>> localObjects = new CopyOnWriteArrayList<>();

    private ProxyReferences() {}

    /** Adds a source of references for local objects (a daemon's registered objects); returns how to remove it. */
    public Runnable addLocalObjects(Function<Object, ProxyRef> references) {
        localObjects.add(references);
        return () -> localObjects.remove(references);
    }

    @Override
    public ProxyRef toRef(Object object) {
        if (object instanceof Proxy proxy) {
            return proxy.toRef();
        }
        Proxy typed = TypedProxy.unwrap(object);
        if (typed != null) {
            return typed.toRef();
        }
        for (Function<Object, ProxyRef> source : localObjects) {
            ProxyRef ref = source.apply(object);
            if (ref != null) {
                return ref;
            }
        }
        return null;
    }

    @Override
    public Object fromRef(ProxyRef ref, Class<?> type) {
        PyroURI uri = PyroURI.parse(ref.getUri());
        Proxy proxy = new Proxy(uri, PyroConfig.current(), ref.hasMetadata() ? ref.getMetadata() : null);
        if (type == Object.class || type == Proxy.class) {
            return proxy;
        }
        if (type.isInterface()) {
            return TypedProxy.create(proxy, type);
        }
        throw new SerializeError("cannot receive a proxy for " + uri + " as " + type.getName() + ": use an interface or Proxy");
    }
}
