package io.pyromesh.client;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.internal.LocalObjects;
import io.pyromesh.proto.v1.ProxyRef;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.values.RemoteReferences;
import io.pyromesh.values.ValueCodec;

/**
 * How proxies and served objects travel as values under one configuration. A proxy, or an object a
 * daemon of this process serves (Pyro's autoproxy), is sent as a {@link ProxyRef}; a received
 * reference becomes a {@link Proxy} with this configuration (its TLS settings, timeout, retries), or a
 * typed proxy when the receiving parameter or result is an interface. Each proxy and each daemon has
 * its own, so a proxy that arrives in a value behaves as its receiver's proxies do.
 */
public final class ProxyReferences implements RemoteReferences {
    private final PyroConfig config;

    public ProxyReferences(PyroConfig config) {
        this.config = config;
    }

    /** The standard codec, with proxies made under {@code config}. */
    public static ValueCodec codec(PyroConfig config) {
        return ValueCodec.standard().withReferences(new ProxyReferences(config));
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
        return LocalObjects.referenceTo(object);
    }

    @Override
    public Object fromRef(ProxyRef ref, Class<?> type) {
        PyroURI uri;
        try {
            uri = PyroURI.parse(ref.getUri());
        } catch (PyroError malformed) {
            throw new SerializeError("malformed proxy_value: " + malformed.getMessage(), malformed);
        }
        Proxy proxy = new Proxy(uri, config, ref.hasMetadata() ? ref.getMetadata() : null);
        if (type == Object.class || type == Proxy.class) {
            return proxy;
        }
        if (type.isInterface()) {
            return TypedProxy.create(proxy, type);
        }
        throw new SerializeError("cannot receive a proxy for " + uri + " as " + type.getName() + ": use an interface or Proxy");
    }
}
