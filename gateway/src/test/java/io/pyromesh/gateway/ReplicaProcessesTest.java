package io.pyromesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.StatusRuntimeException;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.mesh.routing.ChannelPool;
import io.pyromesh.nameserver.NameServerDaemon;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.testing.Eventually;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas in processes of their own behind one tag: they share the load, and when one is killed
 * ({@code kill -9}) mid-run only the calls in flight on it fail, the rest succeed, and no call runs twice.
 */
class ReplicaProcessesTest {
    private static final PyroConfig CONFIG = PyroConfig.defaults().with("HOST", "127.0.0.1");
    private static final int CALLERS = 8;

    private final NameServerDaemon ns = NameServerDaemon.builder().config(CONFIG).host("127.0.0.1").port(0).broadcast(false).start();
    private final List<Replica> replicas = new ArrayList<>();

    /** A replica process and the ids of the calls it ran, read from its output. */
    private static final class Replica {
        final Process process;
        final List<String> ran = new CopyOnWriteArrayList<>();
        final AtomicBoolean ready = new AtomicBoolean();

        Replica(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        if (line.startsWith("RAN ")) {
                            ran.add(line.substring(4));
                        } else if (line.startsWith("READY ")) {
                            ready.set(true);
                        }
                    }
                } catch (java.io.IOException ended) {
                    // the process is gone
                }
            });
            reader.setDaemon(true);
            reader.start();
        }
    }

    private Replica start(String name) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1",
                ReplicaProgram.class.getName(), String.valueOf(ns.uri().port()), name, "role:worker")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Replica replica = new Replica(process);
        replicas.add(replica);
        return replica;
    }

    @AfterEach
    void stop() {
        replicas.forEach(replica -> replica.process.destroyForcibly());
        ns.close();
    }

    @Test
    void replicasShareTheLoadAndAKilledOneFailsOnlyItsCallsInFlightWithNoCallRunTwice() throws Exception {
        Replica one = start("worker.1");
        Replica two = start("worker.2");
        Eventually.within(Duration.ofSeconds(30), "both replicas ready", () -> one.ready.get() && two.ready.get());
        try (Gateway gateway = Gateway.builder(CONFIG).port(0).adminPort(-1).nameServer("127.0.0.1", ns.uri().port())
                .expose("worker\\.").start(); ChannelPool channels = new ChannelPool(CONFIG)) {
            assertThat(gateway.awaitCurrent(Duration.ofSeconds(10))).isTrue();
            Eventually.within(Duration.ofSeconds(10), "both registered",
                    () -> gateway.resolve(io.pyromesh.uri.PyroURI.parse("PYROMETA:role:worker")).explanation().candidates().size() == 2);
            var invoker = InvokerGrpc.newBlockingStub(channels.channel(gateway.location()));

            Map<String, String> succeeded = new ConcurrentHashMap<>();
            List<String> failed = new CopyOnWriteArrayList<>();
            AtomicInteger sequence = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> callers = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                Thread caller = new Thread(() -> {
                    while (running.get()) {
                        String id = "call-" + sequence.incrementAndGet();
                        InvokeRequest request = InvokeRequest.newBuilder().setObject("PYROMETA:role:worker").setMethod("work")
                                .addArgs(Value.newBuilder().setStrValue(id)).build();
                        try {
                            succeeded.put(id, invoker.withDeadlineAfter(20, TimeUnit.SECONDS).invoke(request).getResult().getStrValue());
                        } catch (StatusRuntimeException failure) {
                            failed.add(id + " " + failure.getStatus().getCode());
                        }
                    }
                });
                caller.start();
                callers.add(caller);
            }
            Eventually.within(Duration.ofSeconds(60), "400 calls", () -> succeeded.size() >= 400);
            Map<String, Integer> shares = new HashMap<>();
            succeeded.values().forEach(name -> shares.merge(name, 1, Integer::sum));
            int before = succeeded.size();

            one.process.destroyForcibly(); // SIGKILL
            one.process.waitFor(10, TimeUnit.SECONDS);
            Eventually.within(Duration.ofSeconds(60), "400 more calls", () -> succeeded.size() >= before + 400);
            running.set(false);
            for (Thread caller : callers) {
                caller.join(30_000);
            }

            assertThat(shares.get("worker.1")).as("worker.1's share of %s", shares).isGreaterThan(before / 4);
            assertThat(shares.get("worker.2")).as("worker.2's share of %s", shares).isGreaterThan(before / 4);
            assertThat(failed).as("only calls in flight on the killed replica fail").hasSizeLessThanOrEqualTo(CALLERS);

            Map<String, Integer> runs = new HashMap<>();
            one.ran.forEach(id -> runs.merge(id, 1, Integer::sum));
            two.ran.forEach(id -> runs.merge(id, 1, Integer::sum));
            assertThat(runs.values()).as("no call ran twice").allMatch(count -> count == 1);
            assertThat(runs.keySet()).containsAll(succeeded.keySet());
        }
    }
}
