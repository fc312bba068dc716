package io.pyromesh.cli;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.server.Daemon;
import io.pyromesh.testing.RecordingWorker;
import java.time.Duration;
import java.util.Set;

/**
 * An app in a process of its own, attached to a sidecar: a daemon on 127.0.0.1 serving a {@link RecordingWorker},
 * published under a name and a tag. Usage: {@code WorkerProgram SIDECAR NAME TAG}.
 */
public final class WorkerProgram {
    private WorkerProgram() {}

    public static void main(String[] args) {
        PyroConfig config = PyroConfig.defaults().with("HOST", "127.0.0.1");
        Daemon daemon = Daemon.builder().config(config).sidecar(args[0]).build();
        daemon.register(new RecordingWorker(args[1]), args[1]);
        daemon.sidecar().orElseThrow().publish(args[1], args[1], Set.of(args[2]));
        if (!daemon.sidecar().orElseThrow().awaitAttached(Duration.ofSeconds(30))) {
            System.err.println("not attached to the sidecar at " + args[0]);
            System.exit(1);
        }
        System.out.println("READY " + daemon.location());
        System.out.flush();
        daemon.requestLoop();
    }
}
