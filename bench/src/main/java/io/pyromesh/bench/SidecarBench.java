package io.pyromesh.bench;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.uri.PyroURI;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What a sidecar hop costs: the same echo call made straight to an app ({@code pyromesh echo}) and
 * through its sidecar ({@code pyromesh sidecar}), each in its own process started by {@code bin/pyromesh}
 * as a user starts it, alternating in one run: latency percentiles at a fixed 1,000 calls/s, one caller's
 * back-to-back latencies (which show the hop's own cost even when the machine is too busy to hold the fixed
 * rate), calls/s at saturation (64 in flight), and the sidecar's resident memory after that load.
 */
final class SidecarBench {
    private static final int RATE = 1000;

    private SidecarBench() {}

    static void run(double seconds, int rounds) throws Exception {
        System.out.println();
        String launcher = System.getProperty("pyromesh.launcher");
        if (launcher == null) {
            System.out.println("Sidecar hop: skipped (run through bin/bench, which passes -Dpyromesh.launcher)");
            return;
        }
        try (Processes processes = new Processes(launcher)) {
            int nsPort = freePort();
            processes.start(List.of("ns", "-n", "127.0.0.1", "-p", String.valueOf(nsPort)), List.of(), "URI = ");
            int localPort = freePort();
            Process sidecar = processes.start(List.of("sidecar", "-n", "127.0.0.1", "-p", "0", "-l", String.valueOf(localPort),
                    "--admin-port", "-1", "--ns-host", "127.0.0.1", "--ns-port", String.valueOf(nsPort)), List.of(), "Apps attach at ");
            processes.start(List.of("echo", "-H", "127.0.0.1"), List.of("PYRO_SIDECAR=127.0.0.1:" + localPort), null);
            String direct = processes.awaitEchoUri();
            String viaSidecar = "PYRO:test.echoserver@" + processes.awaitAttachedLocation();
            System.out.printf(Locale.ROOT, "Sidecar hop, each side its own process: proxy -> app (%s) vs proxy -> sidecar -> app (%s)%n",
                    direct, viaSidecar);

            Latencies[] fixed = new Latencies[2];
            Latencies[] backToBack = new Latencies[2];
            double[] saturated = new double[2];
            try (Proxy straight = proxy(direct); Proxy hop = proxy(viaSidecar)) {
                Proxy[] targets = {straight, hop};
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < 2; i++) {
                        Measure.pause();
                        Latencies measured = fixedRate(targets[i], seconds);
                        if (fixed[i] == null || measured.p99() < fixed[i].p99()) {
                            fixed[i] = measured;
                        }
                        Latencies sequential = backToBack(targets[i], seconds);
                        if (backToBack[i] == null || sequential.p50() < backToBack[i].p50()) {
                            backToBack[i] = sequential;
                        }
                        Proxy target = targets[i];
                        double rate = Measure.concurrentRate(() -> check(target.call("echo", "hello")), 64, seconds);
                        saturated[i] = Math.max(saturated[i], rate);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%-32s %12s %14s %10s%n", "", "direct", "via sidecar", "added");
            row("p50 us at 1,000 calls/s", fixed[0].p50(), fixed[1].p50());
            row("p99 us at 1,000 calls/s", fixed[0].p99(), fixed[1].p99());
            row("p99.9 us at 1,000 calls/s", fixed[0].p999(), fixed[1].p999());
            row("p50 us back to back", backToBack[0].p50(), backToBack[1].p50());
            row("p99 us back to back", backToBack[0].p99(), backToBack[1].p99());
            System.out.printf(Locale.ROOT, "%-32s %12.0f %14.0f %10s%n", "calls/s, 64 in flight", saturated[0], saturated[1],
                    String.format(Locale.ROOT, "x%.2f", saturated[1] / saturated[0]));
            System.out.printf(Locale.ROOT, "sidecar RSS after the load: %s (peak %s); load average %s%n",
                    memory(sidecar, "VmRSS"), memory(sidecar, "VmHWM"), loadAverage());
        }
    }

    private static void row(String name, double direct, double viaSidecar) {
        System.out.printf(Locale.ROOT, "%-32s %12.0f %14.0f %+10.0f%n", name, direct, viaSidecar, viaSidecar - direct);
    }

    private record Latencies(double p50, double p99, double p999) {}

    /**
     * One caller sending a call every millisecond; each latency counts from when its call was due, so a
     * stall delays the calls after it in the figures too, as it would a real client's.
     */
    private static Latencies fixedRate(Proxy proxy, double seconds) {
        int warmUp = RATE;
        int count = (int) (seconds * RATE);
        long[] latencies = new long[count];
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
        long due = System.nanoTime();
        for (int i = -warmUp; i < count; i++) {
            due += interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            check(proxy.call("echo", "hello"));
            if (i >= 0) {
                latencies[i] = System.nanoTime() - due;
            }
        }
        Arrays.sort(latencies);
        return new Latencies(latencies[count / 2] / 1e3, latencies[(int) (count * 0.99)] / 1e3, latencies[(int) (count * 0.999)] / 1e3);
    }

    /** One caller, each call as soon as the last answered. */
    private static Latencies backToBack(Proxy proxy, double seconds) {
        long[] latencies = new long[2_000_000];
        int count = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (long now = System.nanoTime(); now < end && count < latencies.length; ) {
            check(proxy.call("echo", "hello"));
            long after = System.nanoTime();
            latencies[count++] = after - now;
            now = after;
        }
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        return new Latencies(sorted[count / 2] / 1e3, sorted[(int) (count * 0.99)] / 1e3, sorted[(int) (count * 0.999)] / 1e3);
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static Proxy proxy(String uri) {
        return new Proxy(PyroURI.parse(uri), PyroConfig.defaults());
    }

    private static void check(Object reply) {
        if (!"hello".equals(reply)) {
            throw new AssertionError("echo returned " + reply);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A {@code /proc/PID/status} figure of a process, e.g. "VmRSS" as "83 MB". */
    private static String memory(Process process, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                long kilobytes = Long.parseLong(line.replaceAll("\\D", ""));
                return String.format(Locale.ROOT, "%.0f MB", kilobytes / 1024.0);
            }
        }
        return "unknown";
    }

    /** The launcher's processes, stopped at the end. */
    private static final class Processes implements AutoCloseable {
        private final String launcher;
        private final List<Process> started = new ArrayList<>();
        private BufferedReader echo;

        Processes(String launcher) {
            this.launcher = launcher;
        }

        /** Starts {@code pyromesh ARGS}; waits for a line starting with {@code ready} unless null (then it keeps the output to read). */
        Process start(List<String> args, List<String> env, String ready) throws IOException {
            List<String> command = new ArrayList<>(List.of(launcher));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().keySet().removeIf(name -> name.startsWith("PYRO_"));
            for (String setting : env) {
                String[] pair = setting.split("=", 2);
                builder.environment().put(pair[0], pair[1]);
            }
            Process process = builder.start();
            started.add(process);
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            if (ready == null) {
                echo = out;
            } else {
                awaitLine(out, ready);
            }
            return process;
        }

        String awaitEchoUri() throws IOException {
            return awaitLine(echo, "echo uri: ");
        }

        /** Waits until the echo server is attached: the sidecar's location of its URI. */
        String awaitAttachedLocation() throws IOException {
            String uri = awaitLine(echo, "attached: ");
            return uri.substring(uri.indexOf('@') + 1);
        }

        private static String awaitLine(BufferedReader out, String prefix) throws IOException {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
            }
            throw new IOException("the process ended before printing '" + prefix + "'");
        }

        @Override
        public void close() throws InterruptedException {
            for (Process process : started) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
