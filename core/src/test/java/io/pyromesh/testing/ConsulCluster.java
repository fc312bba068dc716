package io.pyromesh.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real three-server Consul cluster, one server per {@link TestHosts} host, each in its own network
 * namespace on Consul's default ports (free there: the namespaces are new and this JVM's own). Its
 * addresses exist only inside the namespaces, so programs that use it run on a host
 * ({@link TestHosts#start}), and {@link #consul} runs Consul's CLI on one. Needs root.
 */
public final class ConsulCluster implements AutoCloseable {
    public static final int SERVERS = 3;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final TestHosts hosts;
    private final Path dataDirectory;
    private final Process[] servers = new Process[SERVERS + 1];

    private ConsulCluster(TestHosts hosts, Path dataDirectory) {
        this.hosts = hosts;
        this.dataDirectory = dataDirectory;
    }

    /** Starts a server on hosts 1 to 3 of {@code hosts} and waits until they have elected a leader. */
    public static ConsulCluster start(TestHosts hosts) throws IOException, InterruptedException {
        ConsulCluster cluster = new ConsulCluster(hosts, Files.createTempDirectory("consul-cluster"));
        try {
            for (int i = 1; i <= SERVERS; i++) {
                cluster.startServer(i);
            }
            cluster.awaitLeader();
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The HTTP address of server i, reachable from host i's namespace (and the others'). */
    public static String httpAddress(int i) {
        return "http://" + TestHosts.address(i) + ":8500";
    }

    /** Kills server i (SIGKILL): it leaves without a word, as a crashed machine does. */
    public void kill(int i) throws InterruptedException {
        servers[i].destroyForcibly().waitFor();
    }

    /** Runs {@code consul ARGS... -http-addr=<server i>} in host i's namespace; its output lines. */
    public List<String> consul(int i, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(TestDependencies.consul().toString()));
        command.addAll(List.of(args));
        command.add("-http-addr=" + httpAddress(i));
        return Processes.run(hosts.on(i, command), dataDirectory);
    }

    private void startServer(int i) throws IOException {
        Path data = Files.createDirectories(dataDirectory.resolve("server" + i));
        List<String> command = new ArrayList<>(List.of(TestDependencies.consul().toString(), "agent", "-server",
                "-bootstrap-expect", String.valueOf(SERVERS), "-node", "server" + i,
                "-bind", TestHosts.address(i), "-client", TestHosts.address(i), "-data-dir", data.toString(),
                "-dns-port", "-1", "-grpc-port", "-1", "-hcl", "performance { raft_multiplier = 1 }"));
        for (int other = 1; other <= SERVERS; other++) {
            if (other != i) {
                command.addAll(List.of("-retry-join", TestHosts.address(other)));
            }
        }
        command.addAll(ConsulAgent.NO_UPDATE_CHECK);
        servers[i] = new ProcessBuilder(hosts.on(i, command)).redirectErrorStream(true)
                .redirectOutput(data.resolve("consul.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private void awaitLeader() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            for (int i = 1; i <= SERVERS; i++) {
                if (!servers[i].isAlive()) {
                    throw new AssertionError("consul server " + i + " exited: "
                            + Files.readString(dataDirectory.resolve("server" + i).resolve("consul.log")));
                }
            }
            try {
                List<String> peers = consul(1, "operator", "raft", "list-peers");
                // a header line, then one line per server: "server2  <id>  10.77.0.12:8300  leader  true  3"
                if (peers.size() == SERVERS + 1 && peers.stream().anyMatch(line -> line.contains(" leader "))) {
                    return;
                }
            } catch (AssertionError notYet) {
                // no leader yet: list-peers fails
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the consul cluster had no leader after " + START_TIMEOUT.toSeconds() + " s: "
                + Files.readString(dataDirectory.resolve("server1").resolve("consul.log")));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (int i = 1; i <= SERVERS; i++) {
            if (servers[i] != null) {
                servers[i].destroy();
                if (!servers[i].waitFor(10, TimeUnit.SECONDS)) {
                    servers[i].destroyForcibly().waitFor();
                }
            }
        }
        Processes.run(List.of("rm", "-rf", dataDirectory.toString()), Path.of("."));
    }
}
