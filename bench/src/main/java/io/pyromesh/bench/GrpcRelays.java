package io.pyromesh.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Two {@link BareRelay}s, one behind the other, in front of an address, each run by the sidecar's JVM with
 * the sidecar's flags: what two hops cost in grpc-java itself on this machine. Measured in the same run as
 * the mesh's own two hops, the difference is what Pyromesh's hops add to grpc-java's.
 */
final class GrpcRelays implements AutoCloseable {
    private static final String READY = "relaying on ";
    private final List<Process> started = new ArrayList<>();
    private final String front;

    private GrpcRelays(List<String> jvm, String target) throws IOException {
        front = start(jvm, start(jvm, target));
    }

    /** Two relays in front of {@code target} ({@code host:port}), in the JVM {@code hop} runs in; null (and why, printed) if that cannot be seen. */
    static GrpcRelays inFront(ProcessHandle hop, String target) throws IOException {
        Optional<List<String>> jvm = jvmOf(hop);
        if (jvm.isEmpty()) {
            System.out.println("Two bare grpc-java relays: skipped, the sidecar's command line cannot be read");
            return null;
        }
        return new GrpcRelays(jvm.get(), target);
    }

    /** The java command and its options (up to {@code -jar}) that {@code process} was started with. */
    private static Optional<List<String>> jvmOf(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        if (info.command().isEmpty() || info.arguments().isEmpty()) {
            return Optional.empty();
        }
        List<String> jvm = new ArrayList<>(List.of(info.command().get()));
        for (String argument : info.arguments().get()) {
            if (argument.equals("-jar")) {
                return Optional.of(jvm);
            }
            jvm.add(argument);
        }
        return Optional.empty();
    }

    /** {@code host:port} of the first relay. */
    String location() {
        return front;
    }

    private String start(List<String> jvm, String target) throws IOException {
        List<String> command = new ArrayList<>(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BareRelay.class.getName(), target));
        Process relay = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        started.add(relay);
        BufferedReader out = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith(READY)) {
            throw new IOException("a bare grpc-java relay did not start (it said: " + line + ")");
        }
        return line.substring(READY.length());
    }

    @Override
    public void close() throws InterruptedException {
        for (Process relay : started) {
            relay.destroy();
            if (!relay.waitFor(5, TimeUnit.SECONDS)) {
                relay.destroyForcibly();
            }
        }
    }
}
