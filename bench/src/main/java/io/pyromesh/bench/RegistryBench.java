package io.pyromesh.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.naming.NameServer;
import io.pyromesh.nameserver.NameRegistry;
import io.pyromesh.nameserver.NameServerDaemon;
import io.pyromesh.nameserver.store.MemoryStore;
import io.pyromesh.proto.v1.LookupRequest;
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.proto.v1.PingRequest;
import io.pyromesh.proto.v1.RegisterRequest;
import io.pyromesh.uri.PyroURI;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The name server's figures, as ratios in one run: its operations against Pyromesh's own echo (measured
 * in the same alternation, so the same machine conditions), real Pyro5's name server, the cold start of
 * {@code pyromesh ns} against Pyro5's, and a million registrations in memory.
 */
final class RegistryBench {
    private static final int MILLION = 1_000_000;
    private static final int LOOKED_UP = 10_000;
    private static final double OPS_TARGET = 0.9;
    private static final double COLD_START_TARGET = 2.0;
    private static final int CALLERS = 64;
    /** The column of an operation's figures that holds the echo rate of its sequential pair. */
    private static final int ECHO_IN_PAIR = 3;

    private RegistryBench() {}

    /** One operation, measured sequentially and with {@link #CALLERS} callers at once. */
    private record Scenario(String name, Runnable call) {}

    static void run(double seconds, int rounds) throws Exception {
        System.out.println();
        System.out.printf(Locale.ROOT, "Name server (in this JVM, loopback): operations/s, best of %d rounds; sequential: each operation and"
                + " Pyromesh echo in turn, call by call, a pair at a time (x echo: against that pair's echo); 64 at once: all taking turns slice by slice%n", rounds);
        Map<String, double[]> best = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            measureRound(seconds, best);
        }
        Pyro5 pyro5 = Pyro5.measure(seconds, rounds);
        printOperations(best, pyro5);
        coldStart(rounds, pyro5);
        million();
    }

    /**
     * One round of every scenario, on a fresh name server, echo daemon and connections: which event-loop
     * threads a connection's two ends get is luck that lasts as long as the connection, so every round
     * draws again, as the core rounds do.
     */
    private static void measureRound(double seconds, Map<String, double[]> best) throws Exception {
        try (NameServerDaemon ns = NameServerDaemon.builder().config(PyroConfig.defaults()).host("127.0.0.1").port(0).start();
                NameServer names = new Proxy(ns.uri(), PyroConfig.defaults()).as(NameServer.class);
                PyromeshTarget echo = new PyromeshTarget()) {
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", ns.uri().port()).usePlaintext().build();
            try {
                for (int i = 0; i < LOOKED_UP; i++) {
                    ns.registry().register("bench." + i, "PYRO:obj@127.0.0.1:1", false, null, null);
                }
                List<Scenario> scenarios = scenarios(names, NameServerGrpc.newBlockingStub(channel), echo);
                // one caller: each operation in turn with echo, call by call, as raw grpc-java and Pyromesh take
                // turns (see Measure.interleaved); each ratio comes from its own pair. Taking turns five ways at
                // once, an operation's figure moved more from round to round (0.83-1.07 x echo against 0.90-1.01
                // in pairs, in a harness here), with the other operations' calls between its own
                Scenario baseline = scenarios.get(0);
                for (Scenario scenario : scenarios.subList(1, scenarios.size())) {
                    Measure.pause();
                    List<Measure.Sequential> pair = Measure.interleaved(List.of(baseline.call(), scenario.call()), seconds);
                    record(best, baseline.name(), 0, pair.get(0).callsPerSecond());
                    record(best, scenario.name(), 0, pair.get(1).callsPerSecond());
                    record(best, scenario.name(), ECHO_IN_PAIR, pair.get(0).callsPerSecond());
                }
                // 64 callers: all operations in turn, slice by slice, for the same reason
                Measure.pause();
                List<Double> concurrent = Measure.concurrentInterleaved(scenarios.stream().map(Scenario::call).toList(), CALLERS, seconds);
                for (int i = 0; i < scenarios.size(); i++) {
                    record(best, scenarios.get(i).name(), 1, concurrent.get(i));
                }
                for (Scenario scenario : scenarios) {
                    // back to back, as Pyro5's are measured: the figure to hold against Pyro5's
                    Measure.pause();
                    record(best, scenario.name(), 2, Measure.rate(scenario.call(), seconds));
                }
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static void record(Map<String, double[]> best, String scenario, int column, double rate) {
        double[] rates = best.computeIfAbsent(scenario, name -> new double[4]);
        rates[column] = Math.max(rates[column], rate);
    }

    /** Each operation on both faces, with echo first as the baseline. */
    private static List<Scenario> scenarios(NameServer names, NameServerGrpc.NameServerBlockingStub grpc, PyromeshTarget echo) {
        PyroURI target = PyroURI.direct("obj", "127.0.0.1", 1);
        AtomicLong serial = new AtomicLong();
        Runnable echoCall = () -> echo.echo("hello");
        Runnable pyroRegister = () -> names.register("bench.new." + serial.incrementAndGet(), target);
        Runnable pyroLookup = () -> names.lookup("bench." + ThreadLocalRandom.current().nextInt(LOOKED_UP));
        String targetText = target.toString();
        Runnable grpcRegister = () -> grpc.register(RegisterRequest.newBuilder().setName("bench.new." + serial.incrementAndGet())
                .setUri(targetText).build());
        Runnable grpcLookup = () -> grpc.lookup(LookupRequest.newBuilder().setName("bench." + ThreadLocalRandom.current().nextInt(LOOKED_UP)).build());
        return List.of(new Scenario("Pyromesh echo (the baseline)", echoCall),
                new Scenario("register, Pyro object (Invoke)", pyroRegister),
                new Scenario("lookup, Pyro object (Invoke)", pyroLookup),
                new Scenario("register, gRPC NameServer", grpcRegister),
                new Scenario("lookup, gRPC NameServer", grpcLookup));
    }

    private static void printOperations(Map<String, double[]> best, Pyro5 pyro5) {
        double[] echo = best.values().iterator().next();
        System.out.printf(Locale.ROOT, "  %-32s %10s %7s %8s   %10s %7s %8s%n", "", "sequential", "x echo", "target", "64 at once", "x echo", "target");
        best.forEach((name, rates) -> {
            boolean baseline = rates == echo;
            System.out.printf(Locale.ROOT, "  %-32s %10.0f %7s %8s   %10.0f %7s %8s%n", name,
                    rates[0], baseline ? "" : ratio(rates[0] / rates[ECHO_IN_PAIR]), baseline ? "" : verdict(rates[0] / rates[ECHO_IN_PAIR] >= OPS_TARGET),
                    rates[1], baseline ? "" : ratio(rates[1] / echo[1]), baseline ? "" : verdict(rates[1] / echo[1] >= OPS_TARGET));
        });
        System.out.printf(Locale.ROOT, "  (targets: >= %.1f x Pyromesh echo, sequential and 64 at once)%n", OPS_TARGET);
        if (pyro5 == null) {
            return;
        }
        double echoAlone = echo[2];
        double register = best.get("register, Pyro object (Invoke)")[2];
        double lookup = best.get("lookup, Pyro object (Invoke)")[2];
        System.out.printf(Locale.ROOT, "  Sequential, each operation alone (back to back, as Pyro5's): Pyromesh echo %.0f, register %.0f, lookup %.0f ops/s%n",
                echoAlone, register, lookup);
        System.out.printf(Locale.ROOT, "  Pyro5 5.15 name server, same method: register %.0f, lookup %.0f ops/s sequential "
                + "(its proxies make one call at a time); Pyromesh / Pyro5: register %.2f, lookup %.2f; Pyromesh echo / Pyro5 register %.2f%n",
                pyro5.register(), pyro5.lookup(), register / pyro5.register(), lookup / pyro5.lookup(), echoAlone / pyro5.register());
    }

    private static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2f", ratio);
    }

    private static String verdict(boolean met) {
        return met ? "ok" : "BELOW";
    }

    /** Spawns {@code bin/pyromesh ns} as a user does, and times it to its first answered ping. */
    private static void coldStart(int rounds, Pyro5 pyro5) throws Exception {
        String jar = System.getProperty("pyromesh.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            System.out.println("  cold start: skipped (run through bin/bench, which passes -Dpyromesh.jar)");
            return;
        }
        // the jar is <root>/launcher/target/pyromesh.jar; the launcher script is <root>/bin/pyromesh
        Path launcher = Path.of(jar).toAbsolutePath().getParent().getParent().getParent().resolve("bin/pyromesh");
        List<Double> times = new ArrayList<>();
        for (int round = 0; round < Math.max(3, rounds); round++) {
            times.add(coldStartOnce(launcher));
        }
        times.sort(null);
        double median = times.get(times.size() / 2);
        System.out.printf(Locale.ROOT, "  cold start, `bin/pyromesh ns` to its first answered ping: %.3f s (median of %d)", median, times.size());
        if (pyro5 == null) {
            System.out.println();
            return;
        }
        double ratio = median / pyro5.coldStart();
        System.out.printf(Locale.ROOT, "; Pyro5's `python3 -m Pyro5.nameserver`: %.3f s; ratio %.2f, target <= %.1f %s%n",
                pyro5.coldStart(), ratio, COLD_START_TARGET, ratio <= COLD_START_TARGET ? "ok" : "BELOW TARGET");
    }

    private static double coldStartOnce(Path launcher) throws Exception {
        int port = LocalPorts.free();
        long started = System.nanoTime();
        Process ns = new ProcessBuilder(launcher.toString(), "ns", "-n", "127.0.0.1", "-p", String.valueOf(port), "-x")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!LocalPorts.awaitListening(ns, port, Duration.ofSeconds(60))) {
                throw new IllegalStateException("pyromesh ns did not start listening" + (ns.isAlive() ? " within 60 s" : ": it exited with status " + ns.exitValue()));
            }
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                NameServerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).ping(PingRequest.getDefaultInstance());
            } finally {
                channel.shutdownNow();
            }
            return (System.nanoTime() - started) / 1e9;
        } finally {
            // the launcher execs java, so this is the name server itself
            ns.destroy();
            ns.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A million registrations in the memory store, behind the registry's rules and lock. */
    private static void million() {
        long before = usedHeap();
        NameRegistry registry = new NameRegistry(new MemoryStore(), Clock.systemUTC());
        long fillStart = System.nanoTime();
        for (int i = 0; i < MILLION; i++) {
            registry.register(String.format(Locale.ROOT, "service.worker.%07d", i),
                    "PYRO:obj_" + Long.toHexString(0x1000_0000_0000L + i * 7919L) + "@10.1." + (i % 250) + ".3:" + (20000 + i % 40000),
                    false, i % 100_000 == 0 ? Set.of("class:example.Worker", "shard:" + (i % 100), "rare")
                            : Set.of("class:example.Worker", "shard:" + (i % 100)), null);
        }
        double fill = (System.nanoTime() - fillStart) / 1e9;
        long bytesPerEntry = (usedHeap() - before) / MILLION;
        System.out.printf(Locale.ROOT, "  1,000,000 registrations in the memory store: filled in %.1f s, %d bytes per entry (names, URIs, indexes, change log)%n",
                fill, bytesPerEntry);
        double lookups = Measure.rate(() -> registry.lookup(String.format(Locale.ROOT, "service.worker.%07d",
                ThreadLocalRandom.current().nextInt(MILLION))), 2);
        double prefixes = Measure.rate(() -> check(registry.list(String.format(Locale.ROOT, "service.worker.%05d",
                ThreadLocalRandom.current().nextInt(MILLION / 100)), null).size(), 100), 2);
        double allOf = Measure.rate(() -> check(registry.yplookup(Set.of("class:example.Worker",
                "shard:" + ThreadLocalRandom.current().nextInt(100)), null).size(), 10_000), 2);
        double rare = Measure.rate(() -> check(registry.yplookup(Set.of("class:example.Worker", "rare"), null).size(), 10), 2);
        System.out.printf(Locale.ROOT, "    %-32s %10.0f ops/s%n", "lookup", lookups);
        System.out.printf(Locale.ROOT, "    %-32s %10.0f ops/s%n", "metadata all-of (10 of 1M)", rare);
        System.out.printf(Locale.ROOT, "    %-32s %10.0f ops/s%n", "prefix list (100 of 1M)", prefixes);
        System.out.printf(Locale.ROOT, "    %-32s %10.0f ops/s%n", "metadata all-of (10,000 of 1M)", allOf);
        registry.close();
    }

    private static void check(int found, int expected) {
        if (found != expected) {
            throw new AssertionError("expected " + expected + " results, found " + found);
        }
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Real Pyro5's name server on this machine, measured by a script of the same method. */
    private record Pyro5(double register, double lookup, double coldStart) {
        /** Null, with a line saying why, when bin/bench could not fetch Pyro5 or the measurement failed. */
        static Pyro5 measure(double seconds, int rounds) throws Exception {
            String pythonPath = System.getenv("PYRO5_PYTHONPATH");
            if (pythonPath == null || pythonPath.isEmpty()) {
                System.out.println("  Pyro5 for comparison: not available (bin/bench fetches it with tools/test-dependency)");
                return null;
            }
            Path script = Files.createTempFile("pyro5_ns_bench", ".py");
            try {
                try (InputStream in = RegistryBench.class.getResourceAsStream("/pyro5_ns_bench.py")) {
                    Files.write(script, in.readAllBytes());
                }
                ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", script.toString(), String.valueOf(seconds),
                        String.valueOf(rounds)).redirectError(ProcessBuilder.Redirect.INHERIT);
                builder.environment().put("PYTHONPATH", pythonPath);
                Process python = builder.start();
                String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                python.waitFor();
                if (python.exitValue() != 0 || out.isBlank()) {
                    System.out.println("  Pyro5 for comparison: the measurement failed (status " + python.exitValue() + ")");
                    return null;
                }
                JsonNode measured = new ObjectMapper().readTree(out);
                return new Pyro5(measured.get("register").asDouble(), measured.get("lookup").asDouble(), measured.get("cold_start").asDouble());
            } finally {
                Files.deleteIfExists(script);
            }
        }
    }
}
