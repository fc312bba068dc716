package io.pyromesh.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Consul agent for a test: {@code consul agent -dev} (an in-memory single-server cluster) on free
 * loopback ports, with DNS and gRPC off and no update checks, started once it has elected itself leader.
 * The binary is the pinned one {@link TestDependencies#consul()} fetches.
 *
 * <pre>{@code
 * try (ConsulAgent consul = ConsulAgent.startDev()) {
 *     Store store = Stores.open("consul:" + consul.httpAddress());
 * }
 * }</pre>
 *
 * <p>Consul reaps a critical service no sooner than one minute after it turned critical, whatever its
 * {@code DeregisterCriticalServiceAfter} says, and its reaper runs every 30 s; not even a dev agent lets
 * a user change that, so a test that waits for reaping takes up to 90 s.
 */
public final class ConsulAgent implements AutoCloseable {
    /** A test's agent never calls out to the internet. */
    static final List<String> NO_UPDATE_CHECK = List.of("-hcl", "disable_update_check = true");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<String> command;
    private final int httpPort;
    private final Path log;
    private Process process;

    private ConsulAgent(List<String> command, int httpPort, Path log) {
        this.command = command;
        this.httpPort = httpPort;
        this.log = log;
    }

    /**
     * A new dev agent on free ports of 127.0.0.1, ready (it has a leader). Ports are chosen free, but
     * another process may take one before Consul binds it: then it starts over on other ports.
     */
    public static ConsulAgent startDev() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startDevOnFreePorts();
            } catch (PortTaken taken) {
                if (attempt == 3) {
                    throw taken;
                }
            }
        }
    }

    /** Consul could not bind a port that was free a moment before. */
    private static final class PortTaken extends AssertionError {
        private static final long serialVersionUID = 1L;

        PortTaken(String message) {
            super(message);
        }
    }

    private static ConsulAgent startDevOnFreePorts() throws IOException, InterruptedException {
        int[] ports = freePorts(4);
        List<String> command = new ArrayList<>(List.of(TestDependencies.consul().toString(), "agent", "-dev",
                "-node", "pyromesh-test-" + ports[0],
                "-bind", "127.0.0.1", "-client", "127.0.0.1",
                "-http-port", String.valueOf(ports[0]),
                "-serf-lan-port", String.valueOf(ports[1]),
                "-serf-wan-port", String.valueOf(ports[2]),
                "-server-port", String.valueOf(ports[3]),
                "-dns-port", "-1", "-grpc-port", "-1"));
        command.addAll(NO_UPDATE_CHECK);
        ConsulAgent agent = new ConsulAgent(command, ports[0], Files.createTempFile("consul-agent", ".log"));
        agent.start();
        return agent;
    }

    /** Where its HTTP API listens: {@code http://127.0.0.1:PORT}. */
    public String httpAddress() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Its node name in the catalog. */
    public String nodeName() {
        return "pyromesh-test-" + httpPort;
    }

    /** Starts it again on the same ports after {@link #stop()} (a dev agent comes back empty). */
    public void start() throws IOException, InterruptedException {
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        awaitLeader();
    }

    /** Stops it (SIGTERM, then SIGKILL after 10 s): connections to it are refused from then on. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Freezes it (SIGSTOP): it accepts connections and never answers, the worst kind of outage. */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Undoes {@link #freeze()}. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    /** GET on its HTTP API, e.g. {@code /v1/agent/services}; the body, or an AssertionError for a status other than 200. */
    public String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(httpAddress() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    @Override
    public void close() throws InterruptedException {
        thawQuietly();
        stop();
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void thawQuietly() {
        try {
            thaw();
        } catch (IOException | InterruptedException | AssertionError ignored) {
            // it may have exited already; stop() follows
        }
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Processes.run(List.of("kill", "-" + signal, String.valueOf(process.pid())), Path.of("."));
    }

    private void awaitLeader() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                String output = Files.readString(log, StandardCharsets.UTF_8);
                String message = "consul exited with status " + process.exitValue() + ": " + command + "\n" + output;
                throw output.contains("address already in use") ? new PortTaken(message) : new AssertionError(message);
            }
            try {
                // "" until a leader is elected, then "127.0.0.1:PORT"
                if (get("/v1/status/leader").contains(":")) {
                    return;
                }
            } catch (IOException | AssertionError notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        stop();
        throw new AssertionError("consul had no leader after " + START_TIMEOUT.toSeconds() + " s: " + command
                + "\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Distinct free TCP ports on 127.0.0.1 (see {@link FreePorts}). */
    static int[] freePorts(int count) throws IOException {
        return FreePorts.distinct(count);
    }
}
