package io.pyromesh.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two HAProxy processes in TCP mode, one behind the other, in front of an address: the cheapest two hops
 * this machine can put in a call's way (bytes copied by a single-threaded C event loop, no HTTP/2 parsed,
 * nothing routed per call). Measured in the same run as the mesh's own two hops, it shows how much of
 * what they add is the machine's price for two more processes on the path, and how much is theirs.
 */
final class TcpProxies implements AutoCloseable {
    private static final int ATTEMPTS = 5;
    private final List<Process> started = new ArrayList<>();
    private final Path dir;
    private final String front;

    private TcpProxies(String host, int port) throws IOException, InterruptedException {
        dir = Files.createTempDirectory("pyromesh-bench-haproxy");
        String second = start(host + ":" + port);
        front = start(second);
    }

    /** Two proxies in front of {@code host:port}, or null (and why, printed) when HAProxy is not installed. */
    static TcpProxies inFront(String host, int port) throws IOException, InterruptedException {
        if (!installed()) {
            System.out.println("Two TCP proxies (the hops' floor): skipped, haproxy is not installed (bin/bench installs it)");
            return null;
        }
        return new TcpProxies(host, port);
    }

    /** {@code host:port} of the first proxy. */
    String location() {
        return front;
    }

    private static boolean installed() {
        try {
            Process version = new ProcessBuilder("haproxy", "-v").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException | InterruptedException notThere) {
            return false;
        }
    }

    /** A proxy forwarding to {@code target}; its {@code host:port}. HAProxy cannot pick a port itself, so a free one is tried. */
    private String start(String target) throws IOException, InterruptedException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = LocalPorts.free();
            Path config = dir.resolve("proxy-" + port + ".cfg");
            Files.writeString(config, String.join("\n",
                    "global", "  nbthread 1", "  maxconn 4096",
                    "defaults", "  mode tcp", "  timeout connect 5s", "  timeout client 1h", "  timeout server 1h",
                    "listen hop", "  bind 127.0.0.1:" + port, "  server next " + target, ""));
            Process proxy = new ProcessBuilder("haproxy", "-db", "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            started.add(proxy);
            if (LocalPorts.awaitListening(proxy, port, Duration.ofSeconds(5))) {
                return "127.0.0.1:" + port;
            }
            proxy.destroyForcibly(); // the port was taken meanwhile: another one
        }
        throw new IOException("haproxy did not start listening in " + ATTEMPTS + " attempts");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (Process proxy : started) {
            proxy.destroy();
            if (!proxy.waitFor(5, TimeUnit.SECONDS)) {
                proxy.destroyForcibly();
            }
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }
}
