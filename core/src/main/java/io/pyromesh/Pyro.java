package io.pyromesh;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.internal.NameResolution;
import io.pyromesh.internal.NameServerLocator;
import io.pyromesh.naming.NameServer;
import io.pyromesh.server.Daemon;
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
     * A typed proxy: {@code type}'s methods become remote calls, blocking or asynchronous by their return
     * types (see {@link io.pyromesh.client.RemoteObject} for closing it). No I/O happens until its first
     * call, but {@code type} is checked now: IllegalArgumentException, naming the method, if it is not
     * an interface or one of its methods could never work (a result no value can arrive as, an
     * unsupported stream or future type, a parameter no value can be sent as, a private name).
     */
    public static <T> T proxy(String uri, Class<T> type) {
        return proxy(PyroURI.parse(uri), type);
    }

    public static <T> T proxy(PyroURI uri, Class<T> type) {
        return new Proxy(uri).as(type);
    }

    /**
     * The name server (Pyro's {@code locate_ns}), found by configuration or discovery: a host given here,
     * else {@code NS_HOST} if set, else {@code localhost:NS_PORT}, else UDP discovery; it has answered a
     * ping. {@link io.pyromesh.errors.NamingError} "Failed to locate the nameserver" if none answers.
     */
    public static NameServer locateNS() {
        return locateNS(null, 0);
    }

    /**
     * The name server at {@code host} ({@code ./u:socket} for a unix socket) and {@code port} (0:
     * {@code NS_PORT}), or, if host is null, found as {@link #locateNS()} does, {@code port} then being
     * the discovery port (0: {@code NS_BCPORT}).
     */
    public static NameServer locateNS(String host, int port) {
        PyroConfig config = PyroConfig.current();
        return new Proxy(NameServerLocator.locate(host, port, config), config).as(NameServer.class);
    }

    /** The PYRO URI a PYRONAME or PYROMETA URI stands for, through the name server (Pyro's {@code resolve}). */
    public static PyroURI resolve(PyroURI uri) {
        return NameResolution.resolve(uri, PyroConfig.current());
    }

    /**
     * Pyro's {@code serve()}: registers {@code objects} (object or class to name) in a new daemon on
     * {@code HOST} and a free port and in the name server, prints their URIs as Pyro does, and serves
     * until the daemon shuts down.
     */
    public static void serve(Map<?, String> objects) {
        try (Daemon daemon = Daemon.builder().config(PyroConfig.current()).build()) {
            serve(objects, daemon, true, true);
        }
    }

    /**
     * Pyro's {@code serve(objects, daemon=, use_ns=, verbose=)}: registers each object (or class) in
     * {@code daemon} and serves until it shuts down. With {@code useNameServer}, the map's values are
     * names to register in the name server (null: not published) and the daemon picks object ids;
     * without, they are the object ids. With {@code verbose}, prints Pyro's lines ({@code Object ...:},
     * {@code uri = ...}, {@code name = ...}, {@code Pyro daemon running.}).
     */
    public static void serve(Map<?, String> objects, Daemon daemon, boolean useNameServer, boolean verbose) {
        Serve.serve(objects, daemon, useNameServer, verbose);
    }

    /** The process-wide configuration (defaults, then {@code PYRO_*} environment, then system properties). */
    public static PyroConfig config() {
        return PyroConfig.current();
    }
}
