package io.pyromesh.bench;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.uri.PyroURI;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import java.util.concurrent.locks.LockSupport;

/**
 * What the mesh's hops cost, each part its own process started by {@code bin/pyromesh} as a user starts
 * it (a name server, {@code pyromesh echo} attached to a {@code pyromesh sidecar}, a {@code pyromesh
 * gateway}): the same {@code echo("hello")} made straight to the app, through its sidecar, and through the
 * gateway and the sidecar ({@code PYRONAME:} resolved in the gateway's watched cache), and, as floors to
 * compare these two hops with, through two bare grpc-java relays in the sidecar's JVM ({@link GrpcRelays}:
 * what two hops cost in grpc-java itself) and through two HAProxy processes copying TCP ({@link TcpProxies}:
 * what any two more processes on the path cost here). For each:
 * latency percentiles at a fixed 1,000 calls/s (calls sent asynchronously on schedule, each counted
 * from when it was due, so a slow call delays no other), one caller's back-to-back latencies, the paths
 * taking turns in both so that they share the machine's noise, each over the calls of every round after
 * a first that warms up; the best calls/s of a round at saturation (64 in flight, the paths taking turns in
 * slices); then the sidecar's and the gateway's resident memory after that load. Usage: {@code bin/bench --mesh [--seconds N] [--rounds N]}.
 */
final class HopsBench {
    private static final int RATE = 1000;
    private static final int BLOCK = 100;
    private static final String GRPC_PATH = "via 2 grpc-java relays";
    private static final String TCP_PATH = "via 2 TCP proxies";
    /** Paths from this index on are floors to compare the mesh's hops with, not the mesh. */
    private static final int FLOORS = 3;

    private HopsBench() {}

    static void run(double seconds, int rounds) throws Exception {
        System.out.println();
        String launcher = System.getProperty("pyromesh.launcher");
        if (launcher == null) {
            System.out.println("Mesh hops: skipped (run through bin/bench, which passes -Dpyromesh.launcher)");
            return;
        }
        try (Processes processes = new Processes(launcher)) {
            // each process listens on a port of its own choosing and says which (a port picked free beforehand can be taken meanwhile)
            int nsPort = PyroURI.parse(processes.start(List.of("ns", "-n", "127.0.0.1", "-p", "0", "-x"), List.of(), "URI = ").line()).port();
            Started sidecar = processes.start(List.of("sidecar", "-n", "127.0.0.1", "-p", "0", "-l", "0",
                    "--admin-port", "-1", "--ns-host", "127.0.0.1", "--ns-port", String.valueOf(nsPort)), List.of(), "Apps attach at ");
            String sidecarLocal = sidecar.line().split(" ", 2)[0];
            processes.start(List.of("echo", "-H", "127.0.0.1", "-n"), List.of("PYRO_SIDECAR=" + sidecarLocal), null);
            PyroURI direct = PyroURI.parse(processes.awaitEchoUri());
            String viaSidecar = "PYRO:test.echoserver@" + processes.awaitAttachedLocation();
            Started gateway = processes.start(List.of("gateway", "-n", "127.0.0.1", "-p", "0", "--admin-port", "-1",
                    "--http-port", "-1", "--expose", "test\\.", "--ns", "127.0.0.1:" + nsPort), List.of(), "Gateway running on ");
            String viaGateway = "PYRO:PYRONAME:test.echoserver@" + gateway.line().trim();
            try (GrpcRelays relays = GrpcRelays.inFront(sidecar.process().toHandle(), direct.host() + ":" + direct.port());
                    TcpProxies tcp = TcpProxies.inFront(direct.host(), direct.port())) {
                List<String> names = new ArrayList<>(List.of("direct", "via sidecar", "via gateway+sidecar"));
                List<String> uris = new ArrayList<>(List.of(direct.toString(), viaSidecar, viaGateway));
                if (relays != null) {
                    names.add(GRPC_PATH);
                    uris.add("PYRO:test.echoserver@" + relays.location());
                }
                if (tcp != null) {
                    names.add(TCP_PATH);
                    uris.add("PYRO:test.echoserver@" + tcp.location());
                }
                System.out.printf(Locale.ROOT, "Mesh hops, each part its own process: %s%n", String.join(" | ", uris));
                measure(names, uris, seconds, rounds);
            }
            long sidecarRss = kilobytes(sidecar.process(), "VmRSS");
            System.out.printf(Locale.ROOT, "RSS after the load: sidecar %d MB (peak %d MB; target <= 128 MB: %s), gateway %d MB (peak %d MB);"
                    + " load average %s%n", sidecarRss / 1024, kilobytes(sidecar.process(), "VmHWM") / 1024, sidecarRss <= 128 * 1024 ? "ok" : "MISSED",
                    kilobytes(gateway.process(), "VmRSS") / 1024, kilobytes(gateway.process(), "VmHWM") / 1024, loadAverage());
        }
    }

    /** Every path's figures, taking turns; path 0 is the direct one, path 2 the mesh's two hops, and paths from {@value #FLOORS} on the floors. */
    private static void measure(List<String> names, List<String> uris, double seconds, int rounds) throws Exception {
        int paths = names.size();
        Samples[] fixed = Samples.of(paths);
        Samples[] backToBack = Samples.of(paths);
        double[] saturated = new double[paths];
        List<Proxy> targets = uris.stream().map(HopsBench::proxy).toList();
        try {
            // the first round warms the processes up and is not counted
            for (int round = -1; round < rounds; round++) {
                boolean counted = round >= 0;
                Measure.pause();
                fixedRate(targets, seconds, counted ? fixed : Samples.of(paths));
                backToBack(targets, seconds, counted ? backToBack : Samples.of(paths));
                List<Runnable> calls = targets.stream().<Runnable>map(target -> () -> check(target.call("echo", "hello"))).toList();
                List<Double> rates = Measure.concurrentInterleaved(calls, 64, seconds);
                for (int i = 0; i < paths; i++) {
                    saturated[i] = counted ? Math.max(saturated[i], rates.get(i)) : 0;
                }
            }
        } finally {
            targets.forEach(Proxy::close);
        }
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-28s", ""));
        names.forEach(name -> header.append(String.format(Locale.ROOT, " %22s", name)));
        header.append(String.format(Locale.ROOT, " %10s %-15s", "added", "target"));
        names.subList(FLOORS, paths).forEach(name -> header.append(String.format(Locale.ROOT, " %22s", "added " + name)));
        System.out.println(header);
        Latencies[] atRate = Samples.latencies(fixed);
        Latencies[] sequential = Samples.latencies(backToBack);
        row("p50 us at 1,000 calls/s", atRate, Latencies::p50, 300);
        row("p99 us at 1,000 calls/s", atRate, Latencies::p99, 1000);
        row("p99.9 us at 1,000 calls/s", atRate, Latencies::p999, 0);
        row("p50 us back to back", sequential, Latencies::p50, 0);
        row("p99 us back to back", sequential, Latencies::p99, 0);
        double ratio = saturated[2] / saturated[0];
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s", "calls/s, 64 in flight"));
        for (double rate : saturated) {
            line.append(String.format(Locale.ROOT, " %22.0f", rate));
        }
        line.append(String.format(Locale.ROOT, " %10s %-15s", String.format(Locale.ROOT, "x%.2f", ratio), ">= 0.5 " + (ratio >= 0.5 ? "ok" : "MISSED")));
        for (int floor = FLOORS; floor < paths; floor++) {
            line.append(String.format(Locale.ROOT, " %22s", String.format(Locale.ROOT, "x%.2f", saturated[floor] / saturated[0])));
        }
        System.out.println(line);
    }

    /** A row of figures per path, what the gateway+sidecar path adds to the direct one (and its target if any), and what each floor adds. */
    private static void row(String name, Latencies[] paths, ToDoubleFunction<Latencies> figure, double addedTarget) {
        double direct = figure.applyAsDouble(paths[0]);
        double added = figure.applyAsDouble(paths[2]) - direct;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-28s", name));
        for (Latencies path : paths) {
            line.append(String.format(Locale.ROOT, " %22.0f", figure.applyAsDouble(path)));
        }
        String target = addedTarget == 0 ? "" : String.format(Locale.ROOT, "<= %.0f %s", addedTarget, added <= addedTarget ? "ok" : "MISSED");
        line.append(String.format(Locale.ROOT, " %+10.0f %-15s", added, target));
        for (int floor = FLOORS; floor < paths.length; floor++) {
            line.append(String.format(Locale.ROOT, " %+22.0f", figure.applyAsDouble(paths[floor]) - direct));
        }
        System.out.println(line);
    }

    private record Latencies(double p50, double p99, double p999) {
        static Latencies of(long[] nanos, int count) {
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            return new Latencies(sorted[count / 2] / 1e3, sorted[(int) (count * 0.99)] / 1e3, sorted[(int) (count * 0.999)] / 1e3);
        }
    }

    /** Latencies of the calls of every round, per path. */
    private static final class Samples {
        private long[] nanos = new long[4096];
        private int count;

        static Samples[] of(int paths) {
            Samples[] samples = new Samples[paths];
            Arrays.setAll(samples, i -> new Samples());
            return samples;
        }

        synchronized void add(long latency) {
            if (count == nanos.length) {
                nanos = Arrays.copyOf(nanos, count * 2);
            }
            nanos[count++] = latency;
        }

        static Latencies[] latencies(Samples[] paths) {
            return Arrays.stream(paths).map(path -> Latencies.of(path.nanos, path.count)).toArray(Latencies[]::new);
        }
    }

    /**
     * Calls sent on schedule, one every millisecond, without waiting for the last to answer (an open loop,
     * as independent clients load a service); each latency counts from when its call was due. The paths
     * take turns in blocks of {@value #BLOCK} calls (a tenth of a second), after a warm-up of a second
     * each, so that whatever else the machine does meanwhile (another process's compiler or collector, a
     * neighbour on the host) falls on all of them alike instead of on whichever happened to be measured.
     */
    private static void fixedRate(List<Proxy> paths, double seconds, Samples[] into) throws InterruptedException {
        int warmUp = RATE * paths.size();
        int count = (int) Math.ceil(seconds * RATE / BLOCK) * BLOCK * paths.size();
        CountDownLatch answered = new CountDownLatch(warmUp + count);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
        long due = System.nanoTime();
        for (int i = -warmUp; i < count; i++) {
            due += interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int turn = Math.floorMod(Math.floorDiv(i, BLOCK), paths.size());
            Samples path = into[turn];
            boolean measured = i >= 0;
            long dueAt = due;
            paths.get(turn).callAsync("echo", "hello").whenComplete((reply, error) -> {
                if (error != null || !"hello".equals(reply)) {
                    failure.compareAndSet(null, error != null ? error : new AssertionError("echo returned " + reply));
                } else if (measured) {
                    path.add(System.nanoTime() - dueAt);
                }
                answered.countDown();
            });
        }
        if (!answered.await(60, TimeUnit.SECONDS) || failure.get() != null) {
            throw new IllegalStateException("the fixed-rate calls did not all succeed", failure.get());
        }
    }

    /** One caller's calls back to back, the paths taking turns call by call (as {@link Measure#interleaved}). */
    private static void backToBack(List<Proxy> paths, double seconds, Samples[] into) {
        long end = System.nanoTime() + (long) (seconds * paths.size() * 1e9);
        while (System.nanoTime() < end) {
            for (int i = 0; i < paths.size(); i++) {
                long before = System.nanoTime();
                check(paths.get(i).call("echo", "hello"));
                into[i].add(System.nanoTime() - before);
            }
        }
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

    /** A {@code /proc/PID/status} figure of a process in kB, e.g. "VmRSS". */
    private static long kilobytes(Process process, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /** A started process and the rest of the line it said it was ready with. */
    private record Started(Process process, String line) {}

    /** The launcher's processes, stopped at the end. */
    private static final class Processes implements AutoCloseable {
        private final String launcher;
        private final List<Process> started = new ArrayList<>();
        private BufferedReader echo;

        Processes(String launcher) {
            this.launcher = launcher;
        }

        /**
         * Starts {@code pyromesh ARGS}; waits for a line starting with {@code ready} and gives the rest of it,
         * unless {@code ready} is null (then it keeps the output to read).
         */
        Started start(List<String> args, List<String> env, String ready) throws IOException {
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
                return new Started(process, "");
            }
            return new Started(process, awaitLine(out, ready));
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
