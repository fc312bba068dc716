package io.pyromesh;

import io.pyromesh.naming.NameServer;
import io.pyromesh.server.Daemon;
import io.pyromesh.server.SidecarAttachment;
import io.pyromesh.uri.PyroURI;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;

/** Pyro's {@code serve()}: register objects in a daemon and, by name, in the name server, then serve them. */
final class Serve {
    private Serve() {}

    /**
     * Registers each object (or class) of {@code objects} and serves until the daemon shuts down.
     * With {@code useNameServer} the map's values are name-server names (a null name: not published) and
     * the daemon picks the object ids; without it they are the object ids. A daemon attached to a sidecar
     * has the sidecar register the names instead of the name server directly. With {@code verbose} it prints
     * Pyro's lines: {@code Object <object>:}, {@code     uri = ...}, {@code     name = ...}, then
     * {@code Pyro daemon running.}
     */
    static void serve(Map<?, String> objects, Daemon daemon, boolean useNameServer, boolean verbose) {
        PrintStream out = System.out;
        SidecarAttachment sidecar = useNameServer ? daemon.sidecar().orElse(null) : null;
        NameServer nameServer = useNameServer && sidecar == null ? Pyro.locateNS() : null;
        try {
            for (Map.Entry<?, String> entry : objects.entrySet()) {
                String name = entry.getValue();
                PyroURI uri = daemon.register(entry.getKey(), useNameServer ? null : name);
                if (verbose) {
                    out.println("Object " + entry.getKey() + ":");
                    out.println("    uri = " + uri);
                }
                if (useNameServer && name != null) {
                    if (sidecar != null) {
                        sidecar.publish(name, uri.object(), Set.of());
                    } else {
                        nameServer.register(name, uri);
                    }
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
            if (sidecar != null) {
                out.println("Names published through the sidecar at " + sidecar.address() + ".");
            }
            out.println("Pyro daemon running.");
            out.flush();
        }
        daemon.requestLoop();
    }
}
