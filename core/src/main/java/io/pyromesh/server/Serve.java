package io.pyromesh.server;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.naming.NameServerLocator;
import io.pyromesh.uri.PyroURI;
import java.io.PrintStream;
import java.util.Map;

/**
 * Pyro's {@code serve()}: register objects in a daemon and, by name, in the name server, then serve
 * them. {@code Pyro.serve(...)} is the way in.
 */
public final class Serve {
    private Serve() {}

    /**
     * Registers each object (or class) of {@code objects} and serves until the daemon shuts down.
     * With {@code useNameServer} the map's values are name-server names (a null name: not published) and
     * the daemon picks the object ids; without it they are the object ids. With {@code verbose} it prints
     * Pyro's lines: {@code Object <object>:}, {@code     uri = ...}, {@code     name = ...}, then
     * {@code Pyro daemon running.}
     */
    public static void serve(Map<?, String> objects, Daemon daemon, boolean useNameServer, boolean verbose) {
        PrintStream out = System.out;
        Proxy nameServer = useNameServer ? NameServerLocator.locate(null, 0, PyroConfig.current()) : null;
        try {
            for (Map.Entry<?, String> entry : objects.entrySet()) {
                String name = entry.getValue();
                PyroURI uri = daemon.register(entry.getKey(), useNameServer ? null : name);
                if (verbose) {
                    out.println("Object " + entry.getKey() + ":");
                    out.println("    uri = " + uri);
                }
                if (nameServer != null && name != null) {
                    nameServer.call("register", name, uri);
                    if (verbose) {
                        out.println("    name = " + name);
                    }
                }
            }
        } finally {
            if (nameServer != null) {
                nameServer.close();
            }
        }
        if (verbose) {
            out.println("Pyro daemon running.");
            out.flush();
        }
        daemon.requestLoop();
    }

    /** As {@link #serve(Map, Daemon, boolean, boolean)} with a new daemon on {@code HOST} and a free port. */
    public static void serve(Map<?, String> objects, boolean useNameServer, boolean verbose) {
        try (Daemon daemon = Daemon.builder().config(PyroConfig.current()).build()) {
            serve(objects, daemon, useNameServer, verbose);
        }
    }
}
