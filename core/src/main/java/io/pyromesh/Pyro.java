package io.pyromesh;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.uri.PyroURI;

/**
 * The front door, as Pyro's {@code Pyro5.api}: make proxies, reach the configuration.
 *
 * <pre>{@code
 * Warehouse warehouse = Pyro.proxy("PYRO:example.warehouse@localhost:9100", Warehouse.class);
 * warehouse.store("Alice", "umbrella");
 * }</pre>
 */
public final class Pyro {
    /** Pyromesh's version. */
    public static final String VERSION = "0.1.0";

    private Pyro() {}

    /** A dynamic proxy for the object at {@code uri}; no I/O happens until its first call. */
    public static Proxy proxy(String uri) {
        return new Proxy(uri);
    }

    public static Proxy proxy(PyroURI uri) {
        return new Proxy(uri);
    }

    /**
     * A typed proxy: {@code type}'s methods become remote calls (see {@link io.pyromesh.client.RemoteObject}
     * for closing it). {@code type} must be an interface.
     */
    public static <T> T proxy(String uri, Class<T> type) {
        return proxy(PyroURI.parse(uri), type);
    }

    public static <T> T proxy(PyroURI uri, Class<T> type) {
        return new Proxy(uri).as(type);
    }

    /** The process-wide configuration (defaults, then {@code PYRO_*} environment, then system properties). */
    public static PyroConfig config() {
        return PyroConfig.current();
    }
}
