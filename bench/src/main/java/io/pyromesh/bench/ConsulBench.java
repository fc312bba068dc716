package io.pyromesh.bench;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.NamingError;
import io.pyromesh.naming.NameServer;
import io.pyromesh.nameserver.NameServerDaemon;
import io.pyromesh.testing.ConsulAgent;
import io.pyromesh.uri.PyroURI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The name server on the Consul store against the memory store, in the same run: operations per second
 * (sequential and 64 in flight), lookup latency (answered from the store's cache), how soon a registration
 * made through one name server shows through another over the same Consul, and how soon a sidecar's names
 * disappear after it is killed with SIGKILL. Consul is a real dev agent ({@link ConsulAgent}).
 */
final class ConsulBench {
    /** The lease the stand-in sidecar registers with; what it renews four times per lease. */
    private static final double SIDECAR_LEASE_SECONDS = 3;
    private static final int PROPAGATION_SAMPLES = 50;

    private ConsulBench() {}

    static void run(double seconds) throws Exception {
        System.out.println();
        System.out.println("Name server on Consul (a dev agent on loopback) vs on the memory store, same run:");
        try (ConsulAgent consul = ConsulAgent.startDev()) {
            String storage = "consul:" + consul.httpAddress();
            Figures memory = measure("memory", seconds);
            Figures onConsul = measure(storage, seconds);
            System.out.printf(Locale.ROOT, "  %-34s %10s %10s %8s%n", "", "memory", "consul", "ratio");
            compare("register ops/s, sequential", memory.registers, onConsul.registers);
            compare("lookup ops/s, sequential", memory.lookups.callsPerSecond(), onConsul.lookups.callsPerSecond());
            compare("register ops/s, 64 in flight", memory.registers64, onConsul.registers64);
            compare("lookup ops/s, 64 in flight", memory.lookups64, onConsul.lookups64);
            compare("lookup p50 latency us", memory.lookups.p50Micros(), onConsul.lookups.p50Micros());
            compare("lookup p99 latency us", memory.lookups.p99Micros(), onConsul.lookups.p99Micros());
            System.out.printf(Locale.ROOT, "  (the consul store held %d registrations at the end)%n", onConsul.registered);
            propagation(storage);
            sidecarKilled(storage);
        }
    }

    private record Figures(double registers, Measure.Sequential lookups, double registers64, double lookups64, long registered) {}

    private static Figures measure(String storage, double seconds) throws Exception {
        Measure.pause();
        try (NameServerDaemon ns = nameServer(storage); NameServer names = client(ns)) {
            PyroURI target = PyroURI.direct("obj", "127.0.0.1", 1);
            AtomicLong serial = new AtomicLong();
            names.register("warm.up", target);
            double registers = Measure.rate(() -> names.register("bench." + serial.incrementAndGet(), target), seconds);
            long registered = serial.get();
            Measure.Sequential lookups = Measure.sequential(() -> names.lookup(
                    "bench." + (1 + ThreadLocalRandom.current().nextLong(registered))), seconds);
            double registers64 = Measure.concurrentRate(() -> names.register("bench64." + serial.incrementAndGet(), target), 64, seconds);
            double lookups64 = Measure.concurrentRate(() -> names.lookup(
                    "bench." + (1 + ThreadLocalRandom.current().nextLong(registered))), 64, seconds);
            long held = names.count();
            names.remove(null, "bench", null);   // the next measurement starts from an empty Consul
            return new Figures(registers, lookups, registers64, lookups64, held);
        }
    }

    /** Register through one name server, look up through another until it is there; milliseconds. */
    private static void propagation(String storage) throws Exception {
        try (NameServerDaemon writer = nameServer(storage); NameServerDaemon reader = nameServer(storage);
                NameServer writes = client(writer); NameServer reads = client(reader)) {
            double[] millis = new double[PROPAGATION_SAMPLES];
            for (int i = 0; i < PROPAGATION_SAMPLES; i++) {
                String name = "propagated." + i;
                long started = System.nanoTime();
                writes.register(name, PyroURI.direct("obj", "127.0.0.1", 1));
                while (!registered(reads, name)) {
                    Thread.onSpinWait();
                }
                millis[i] = (System.nanoTime() - started) / 1e6;
            }
            Arrays.sort(millis);
            System.out.printf(Locale.ROOT, "  %-34s %10.1f / %.1f ms (p50 / max of %d)%n",
                    "visible through another name server", millis[PROPAGATION_SAMPLES / 2], millis[PROPAGATION_SAMPLES - 1],
                    PROPAGATION_SAMPLES);
            writes.remove(null, "propagated.", null);
        }
    }

    /** A process registers names with a lease and renews them; SIGKILL; until the name server no longer has them. */
    private static void sidecarKilled(String storage) throws Exception {
        try (NameServerDaemon ns = nameServer(storage); NameServer names = client(ns)) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SidecarStandIn.class.getName(),
                    ns.uri().toString(), String.valueOf(SIDECAR_LEASE_SECONDS), "sidecar.a", "sidecar.b"));
            Process sidecar = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (sidecar.getInputStream().read() < 0) {
                throw new IllegalStateException("the stand-in sidecar exited before registering");
            }
            Thread.sleep((long) (SIDECAR_LEASE_SECONDS * 1000));   // it has renewed its lease by now
            long killed = System.nanoTime();
            sidecar.destroyForcibly().waitFor();   // SIGKILL
            while (registered(names, "sidecar.a") || registered(names, "sidecar.b")) {
                Thread.sleep(5);
            }
            System.out.printf(Locale.ROOT, "  %-34s %10.2f s (lease %.0f s)%n", "sidecar kill -9 to names invisible",
                    (System.nanoTime() - killed) / 1e9, SIDECAR_LEASE_SECONDS);
        }
    }

    private static boolean registered(NameServer names, String name) {
        try {
            names.lookup(name);
            return true;
        } catch (NamingError unknown) {
            return false;
        }
    }

    private static NameServerDaemon nameServer(String storage) {
        return NameServerDaemon.builder().config(PyroConfig.defaults()).host("127.0.0.1").port(0).storage(storage).start();
    }

    private static NameServer client(NameServerDaemon ns) {
        return new Proxy(ns.uri(), PyroConfig.defaults()).as(NameServer.class);
    }

    private static void compare(String name, double memory, double consul) {
        System.out.printf(Locale.ROOT, "  %-34s %10.0f %10.0f %8.2f%n", name, memory, consul, consul / memory);
    }
}
