package io.pyromesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.naming.NameServer;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.errors.RemoteException;
import io.pyromesh.testing.Eventually;
import io.pyromesh.testing.PythonStubs;
import io.pyromesh.uri.PyroURI;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole mesh in processes of their own on 127.0.0.1, as issue 7 draws it: a name server, two
 * sidecars, an app attached to each (a third, a replica, on the second), and a gateway. Calls by
 * PYRONAME, PYROMETA and PYRO: through the gateway, outbound through a sidecar, and a replica killed
 * mid-run; and an app that is not Java, called from a Java proxy through the gateway.
 */
@Timeout(180)
class MeshIT {
    private static final PyroConfig CONFIG = PyroConfig.defaults();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final List<Launcher.Running> launched = new ArrayList<>();
    private final List<App> apps = new ArrayList<>();
    private final List<Process> others = new ArrayList<>();
    private int nsPort;
    private int[] sidecarPorts;
    private int[] sidecarLocalPorts;
    private int gatewayPort;
    private ManagedChannel toGateway;

    /** An app process and the ids of the calls it ran, read from its output. */
    private static final class App {
        final Process process;
        final List<String> ran = new CopyOnWriteArrayList<>();
        final AtomicBoolean ready = new AtomicBoolean();

        App(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("RAN ")) {
                            ran.add(line.substring(4));
                        } else if (line.startsWith("READY ")) {
                            ready.set(true);
                        }
                    }
                } catch (IOException ended) {
                    // the process is gone
                }
            });
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** The port of the {@code host:port} a line starts with, e.g. {@code 127.0.0.1:9100: names are...}. */
    private static int portAtStartOf(String line) {
        String location = line.split("[ (]", 2)[0].replaceAll(":$", "");
        return Integer.parseInt(location.substring(location.lastIndexOf(':') + 1));
    }

    private Launcher.Running launch(String... args) throws IOException {
        Launcher.Running process = new Launcher.Running(args);
        launched.add(process);
        return process;
    }

    private App app(int sidecar, String name, String tag) throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1",
                WorkerProgram.class.getName(), "127.0.0.1:" + sidecarLocalPorts[sidecar], name, tag)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        App app = new App(process);
        apps.add(app);
        return app;
    }

    @BeforeEach
    void startTheMesh() throws Exception {
        // every process takes a port of its own choosing and says which: a port picked free beforehand can be
        // taken meanwhile, e.g. as the local end of another process's connection
        nsPort = PyroURI.parse(launch("ns", "-n", "127.0.0.1", "-p", "0", "-x").awaitLine("URI = ")).port();
        sidecarPorts = new int[2];
        sidecarLocalPorts = new int[2];
        for (int i = 0; i < 2; i++) {
            Launcher.Running sidecar = launch("sidecar", "-n", "127.0.0.1", "-p", "0", "-l", "0",
                    "--ns-host", "127.0.0.1", "--ns-port", String.valueOf(nsPort), "--admin-port", "-1");
            sidecarPorts[i] = portAtStartOf(sidecar.awaitLine("Sidecar running on "));
            sidecarLocalPorts[i] = portAtStartOf(sidecar.awaitLine("Apps attach at "));
        }
        List<App> started = List.of(app(0, "work.a", "role:a"), app(1, "work.b", "role:worker"), app(1, "work.b2", "role:worker"));
        Eventually.within(PATIENCE, "the apps attached", () -> started.stream().allMatch(app -> app.ready.get()));
        gatewayPort = portAtStartOf(launch("gateway", "-n", "127.0.0.1", "-p", "0", "--admin-port", "-1", "--http-port", "-1",
                "--expose", "work\\.", "--ns", "127.0.0.1:" + nsPort).awaitLine("Gateway running on "));
        toGateway = ManagedChannelBuilder.forAddress("127.0.0.1", gatewayPort).usePlaintext().build();
        Eventually.within(PATIENCE, "the gateway sees the apps' names", () -> {
            try {
                work(gateway(), "PYRONAME:work.b2", "probe");
                return true;
            } catch (StatusRuntimeException notYet) {
                return false;
            }
        });
    }

    @AfterEach
    void stopTheMesh() throws InterruptedException {
        if (toGateway != null) {
            toGateway.shutdownNow();
        }
        apps.forEach(app -> app.process.destroyForcibly());
        others.forEach(Process::destroyForcibly);
        for (Launcher.Running process : launched) {
            process.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private InvokerGrpc.InvokerBlockingStub gateway() {
        return InvokerGrpc.newBlockingStub(toGateway).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static String work(InvokerGrpc.InvokerBlockingStub invoker, String object, String id) {
        return invoker.invoke(InvokeRequest.newBuilder().setObject(object).setMethod("work")
                .addArgs(Value.newBuilder().setStrValue(id)).build()).getResult().getStrValue();
    }

    @Test
    void callsByNameByTagAndByAddressGoThroughTheGatewayAndTheSidecars() {
        assertThat(work(gateway(), "PYRONAME:work.a", "1")).isEqualTo("work.a");
        assertThat(apps.get(0).ran).contains("1");
        try (NameServer names = new Proxy(PyroURI.parse("PYRO:Pyro.NameServer@127.0.0.1:" + nsPort), CONFIG).as(NameServer.class)) {
            PyroURI registered = names.lookup("work.a");
            assertThat(registered.port()).as("registered under its sidecar's address").isEqualTo(sidecarPorts[0]);
            assertThat(work(gateway(), registered.toString(), "2")).isEqualTo("work.a");
        }
        Map<String, Integer> shares = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            shares.merge(work(gateway(), "PYROMETA:role:worker", "meta-" + i), 1, Integer::sum);
        }
        assertThat(shares.keySet()).containsExactlyInAnyOrder("work.b", "work.b2");
        assertThat(shares.values()).as("each replica's share of 200 calls: " + shares).allMatch(share -> share >= 60);
    }

    @Test
    void aJavaProxyCallsAPythonAppThroughTheGatewayAndItsSidecar(@TempDir Path work) throws Exception {
        Path generated = PythonStubs.generate(work, List.of("value.proto", "invoker.proto", "sidecar.proto"),
                List.of("invoker.proto", "sidecar.proto"));
        // the sidecar module's example Python app, as the README runs it
        Path pythonApp = Path.of("..", "sidecar", "src", "test", "resources", "python", "sidecar_app.py");
        Process python = new ProcessBuilder(PythonStubs.PYTHON, pythonApp.toString(), generated.toString(),
                "127.0.0.1:" + sidecarLocalPorts[0], "work.python.greeter").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        others.add(python);
        BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("the Python app's attachment")
                .startsWith("{\"lease\": \"lease-").contains("\"uri\": \"PYRO:greeter@127.0.0.1:" + sidecarPorts[0] + "\"");
        PyroURI throughTheGateway = PyroURI.direct("PYRONAME:work.python.greeter", "127.0.0.1", gatewayPort);
        Eventually.within(PATIENCE, "the gateway sees the Python app's name", () -> {
            try (Proxy greeter = new Proxy(throughTheGateway, CONFIG)) {
                return "hello, java, from python".equals(greeter.call("hello", "java"));
            } catch (io.pyromesh.errors.PyroError notYet) {
                return false;
            }
        });
        try (Proxy greeter = new Proxy(throughTheGateway, CONFIG)) {
            assertThat(greeter.metadata().methods()).containsExactlyInAnyOrder("count", "fail", "hello");
            List<Object> counted = new ArrayList<>();
            try (var items = greeter.stream("count", 3)) {
                items.forEachRemaining(counted::add);
            }
            assertThat(counted).containsExactly(0L, 1L, 2L);
            assertThatThrownBy(() -> greeter.call("fail")).isInstanceOf(RemoteException.class)
                    .hasMessageContaining("python says no")
                    .satisfies(error -> assertThat(((RemoteException) error).getRemoteTraceback()).contains("ValueError: python says no"));
        }
    }

    @Test
    void anAppSendsAnyUriOutThroughItsSidecar() {
        ManagedChannel local = ManagedChannelBuilder.forAddress("127.0.0.1", sidecarLocalPorts[1]).usePlaintext().build();
        try {
            InvokerGrpc.InvokerBlockingStub outbound = InvokerGrpc.newBlockingStub(local).withDeadlineAfter(30, TimeUnit.SECONDS);
            assertThat(work(outbound, "PYRONAME:work.a", "out-1")).as("to an app on the other sidecar").isEqualTo("work.a");
            assertThat(work(outbound, "PYROMETA:role:a", "out-2")).isEqualTo("work.a");
            assertThat(apps.get(0).ran).contains("out-1", "out-2");
        } finally {
            local.shutdownNow();
        }
    }

    @Test
    void aReplicaKilledMidRunFailsOnlyItsCallsInFlightAndNoCallRunsTwice() throws Exception {
        int callers = 8;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger counter = new AtomicInteger();
        Map<String, String> answered = new ConcurrentHashMap<>();
        List<String> failed = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            Thread caller = new Thread(() -> {
                while (!stop.get()) {
                    String id = "k-" + counter.incrementAndGet();
                    try {
                        answered.put(id, work(gateway(), "PYROMETA:role:worker", id));
                    } catch (StatusRuntimeException lost) {
                        failed.add(id);
                    }
                }
            });
            caller.start();
            threads.add(caller);
        }
        App victim = apps.get(2);
        Eventually.within(PATIENCE, "calls reach both replicas", () -> victim.ran.size() > 50 && apps.get(1).ran.size() > 50);
        victim.process.destroyForcibly();
        long killed = System.nanoTime();
        try (NameServer names = new Proxy(PyroURI.parse("PYRO:Pyro.NameServer@127.0.0.1:" + nsPort), CONFIG).as(NameServer.class)) {
            Eventually.within(Duration.ofSeconds(1), "the killed replica's name is gone", () -> !names.list().containsKey("work.b2"));
        }
        Duration nameGone = Duration.ofNanos(System.nanoTime() - killed);
        int answeredBeforeWait = answered.size();
        Eventually.within(PATIENCE, "calls go on after the kill", () -> answered.size() > answeredBeforeWait + 200);
        stop.set(true);
        for (Thread caller : threads) {
            caller.join(30_000);
        }

        assertThat(failed).as("only the calls in flight on the killed replica fail").hasSizeLessThanOrEqualTo(callers);
        List<String> ranAnywhere = new ArrayList<>(apps.get(1).ran);
        ranAnywhere.addAll(victim.ran);
        assertThat(ranAnywhere).as("no call runs twice").doesNotHaveDuplicates();
        answered.forEach((id, by) -> assertThat(ranAnywhere).as("an answered call ran").contains(id));
        assertThat(nameGone).isLessThanOrEqualTo(Duration.ofSeconds(1));
    }
}
