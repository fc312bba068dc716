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
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.proto.v1.PingRequest;
import io.pyromesh.uri.PyroURI;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The name server's figures: operations per second, cold start, and a million registrations in memory. */
final class RegistryBench {
    private static final int MILLION = 1_000_000;

    private RegistryBench() {}

    static void run(double seconds, double rawEchoPerSecond) throws Exception {
        System.out.println();
        System.out.println("Name server (in this JVM, loopback, a typed NameServer proxy through Invoke):");
        try (NameServerDaemon ns = NameServerDaemon.builder().config(PyroConfig.defaults()).host("127.0.0.1").port(0).start();
                NameServer names = new Proxy(ns.uri(), PyroConfig.defaults()).as(NameServer.class)) {
            PyroURI target = PyroURI.direct("obj", "127.0.0.1", 1);
            AtomicLong serial = new AtomicLong();
            names.register("warm.up", target);
            double registers = Measure.rate(() -> names.register("bench." + serial.incrementAndGet(), target), seconds);
            long registered = serial.get();
            double lookups = Measure.rate(() -> names.lookup("bench." + (1 + ThreadLocalRandom.current().nextLong(registered))), seconds);
            double registers64 = Measure.concurrentRate(() -> names.register("bench64." + serial.incrementAndGet(), target), 64, seconds);
            double lookups64 = Measure.concurrentRate(() -> names.lookup("bench." + (1 + ThreadLocalRandom.current().nextLong(registered))), 64, seconds);
            row("register ops/s, sequential", registers, rawEchoPerSecond);
            row("lookup ops/s, sequential", lookups, rawEchoPerSecond);
            row("register ops/s, 64 in flight", registers64, rawEchoPerSecond);
            row("lookup ops/s, 64 in flight", lookups64, rawEchoPerSecond);
        }
        coldStart();
        million();
        pyro5(seconds);
    }

    private static void row(String name, double perSecond, double rawEchoPerSecond) {
        System.out.printf(Locale.ROOT, "  %-34s %10.0f   (%.2f x raw grpc echo sequential)%n", name, perSecond, perSecond / rawEchoPerSecond);
    }

    /** Spawn `pyromesh ns` the way bin/pyromesh does, and time it to its first answered ping. */
    private static void coldStart() throws Exception {
        String jar = System.getProperty("pyromesh.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            System.out.println("  cold start: skipped (run through bin/bench, which passes -Dpyromesh.jar)");
            return;
        }
        List<Double> times = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            times.add(coldStartOnce(jar));
        }
        times.sort(null);
        System.out.printf(Locale.ROOT, "  %-34s %10.2f s (median of 3; JVM start, class loading, first ping)%n",
                "cold start: `pyromesh ns` to ping", times.get(1));
    }

    private static double coldStartOnce(String jar) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("java"));
        Path archive = Path.of(jar.replace(".jar", ".jsa"));
        if (Files.isRegularFile(archive)) {
            command.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        command.addAll(List.of("-jar", jar, "ns", "-n", "127.0.0.1", "-p", String.valueOf(port), "-x"));
        long started = System.nanoTime();
        Process ns = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitListening(port, ns);
            ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
            try {
                NameServerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).ping(PingRequest.getDefaultInstance());
            } finally {
                channel.shutdownNow();
            }
            return (System.nanoTime() - started) / 1e9;
        } finally {
            ns.destroy();
            ns.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitListening(int port, Process ns) throws InterruptedException {
        while (true) {
            if (!ns.isAlive()) {
                throw new IllegalStateException("pyromesh ns exited with status " + ns.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return;
            } catch (IOException notYet) {
                Thread.sleep(2);
            }
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
        System.out.printf(Locale.ROOT, "  1,000,000 registrations in the memory store: filled in %.1f s, %d bytes per entry (names, URIs, indexes)%n",
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

    /** Real Pyro5's name server on this machine, when bin/bench could fetch it. */
    private static void pyro5(double seconds) throws Exception {
        String pythonPath = System.getenv("PYRO5_PYTHONPATH");
        if (pythonPath == null || pythonPath.isEmpty()) {
            System.out.println("  Pyro5 for comparison: not available (bin/bench fetches it with tools/test-dependency)");
            return;
        }
        Path script = Files.createTempFile("pyro5_ns_bench", ".py");
        try (InputStream in = RegistryBench.class.getResourceAsStream("/pyro5_ns_bench.py")) {
            Files.write(script, in.readAllBytes());
        }
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", script.toString(), String.valueOf(seconds))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("PYTHONPATH", pythonPath);
        Process python = builder.start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        python.waitFor();
        Files.deleteIfExists(script);
        if (python.exitValue() != 0 || out.isBlank()) {
            System.out.println("  Pyro5 for comparison: the measurement failed (status " + python.exitValue() + ")");
            return;
        }
        JsonNode pyro = new ObjectMapper().readTree(out);
        System.out.printf(Locale.ROOT, "  Pyro5 5.15 here, same method: register %.0f ops/s, lookup %.0f ops/s (sequential), cold start %.2f s%n",
                pyro.get("register").asDouble(), pyro.get("lookup").asDouble(), pyro.get("cold_start").asDouble());
    }
}
