package io.pyromesh;

import io.pyromesh.client.NameResolution;
import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.naming.NameServer;
import io.pyromesh.naming.NameServerLocator;
import io.pyromesh.server.Serve;
import io.pyromesh.uri.PyroURI;
import java.util.Map;

/**
 * The front door, as Pyro's {@code Pyro5.api}: make proxies, find the name server, reach the configuration.
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

    /** The name server, found by configuration or discovery (Pyro's {@code locate_ns}); see {@link NameServerLocator}. */
    public static NameServer locateNS() {
        return locateNS(null, 0);
    }

    /** The name server at {@code host} ({@code ./u:socket} for a unix socket), or found by discovery if host is null. */
    public static NameServer locateNS(String host, int port) {
        return NameServerLocator.locate(host, port, PyroConfig.current()).as(NameServer.class);
    }

    /** The PYRO URI a PYRONAME or PYROMETA URI stands for, through the name server (Pyro's {@code resolve}). */
    public static PyroURI resolve(PyroURI uri) {
        return NameResolution.resolve(uri, PyroConfig.current());
    }

    /**
     * Pyro's {@code serve()}: registers {@code objects} (object or class to name) in a new daemon and in
     * the name server, prints their URIs, and serves until the daemon shuts down. See {@link Serve}.
     */
    public static void serve(Map<?, String> objects) {
        Serve.serve(objects, true, true);
    }

    /** The process-wide configuration (defaults, then {@code PYRO_*} environment, then system properties). */
    public static PyroConfig config() {
        return PyroConfig.current();
    }
}
