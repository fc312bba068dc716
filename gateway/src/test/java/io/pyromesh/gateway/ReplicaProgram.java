package io.pyromesh.gateway;

import io.pyromesh.Pyro;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.naming.NameServer;
import io.pyromesh.server.Daemon;
import io.pyromesh.testing.RecordingWorker;
import io.pyromesh.uri.PyroURI;
import java.util.Set;

/**
 * A replica in a process of its own, for tests that kill it: a daemon on 127.0.0.1 serving a
 * {@link RecordingWorker}, registered in the name server under a name and a tag.
 * Usage: {@code ReplicaProgram NS_PORT NAME TAG}.
 */
public final class ReplicaProgram {
    private ReplicaProgram() {}

    public static void main(String[] args) {
        PyroConfig config = PyroConfig.defaults().with("HOST", "127.0.0.1");
        Daemon daemon = Daemon.builder().config(config).build();
        PyroURI uri = daemon.register(new RecordingWorker(args[1]), args[1]);
        try (NameServer ns = Pyro.locateNS("127.0.0.1", Integer.parseInt(args[0]))) {
            ns.register(args[1], uri, false, Set.of(args[2]));
        }
        System.out.println("READY " + uri);
        System.out.flush();
        daemon.requestLoop();
    }
}
