package io.pyromesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.naming.NameServer;
import io.pyromesh.testing.FreePorts;
import io.pyromesh.uri.PyroURI;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code pyromesh ns}, {@code pyromesh sidecar} and {@code pyromesh echo} attached to the sidecar, each
 * its own process, as a user runs them: calls by name through the sidecar; {@code kill -9} of the app;
 * SIGTERM of the sidecar with calls in flight; restarts of the sidecar and of the name server; an app
 * that starts before its sidecar; bad options.
 */
@Timeout(180)
class SidecarCommandsIT {
    private static final PyroConfig CONFIG = PyroConfig.defaults();
    private static final String ECHO = "test.echoserver";

    private final List<Launcher.Running> running = new ArrayList<>();
    private int nsPort;

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Launcher.Running process : running) {
            process.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        return FreePorts.one();
    }

    private Launcher.Running start(Map<String, String> env, String... args) throws IOException {
        Launcher.Running process = new Launcher.Running(env, args);
        running.add(process);
        return process;
    }

    private Launcher.Running nameServer(int port) throws IOException {
        Launcher.Running ns = start(Map.of(), "ns", "-n", "127.0.0.1", "-p", String.valueOf(port));
        ns.awaitLine("URI = ");
        nsPort = port;
        return ns;
    }

    /** A sidecar on 127.0.0.1 that registers with our name server. */
    private Launcher.Running sidecar(int port, int localPort, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("sidecar", "-n", "127.0.0.1", "-p", String.valueOf(port), "-l",
                String.valueOf(localPort), "--ns-host", "127.0.0.1", "--ns-port", String.valueOf(nsPort), "--admin-port", "0"));
        args.addAll(List.of(more));
        Launcher.Running sidecar = start(Map.of(), args.toArray(String[]::new));
        assertThat(sidecar.awaitLine("Sidecar running on ")).startsWith("127.0.0.1:" + port + ": ");
        assertThat(sidecar.awaitLine("Apps attach at ")).startsWith("127.0.0.1:" + localPort);
        return sidecar;
    }

    /** {@code pyromesh echo -n -v} attached to the sidecar at {@code localPort} through PYRO_SIDECAR, once attached. */
    private Launcher.Running attachedEcho(int localPort, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("echo", "-H", "127.0.0.1", "-n", "-v"));
        args.addAll(List.of(more));
        Launcher.Running echo = start(Map.of("PYRO_SIDECAR", "127.0.0.1:" + localPort), args.toArray(String[]::new));
        echo.awaitLine("attached: ");
        return echo;
    }

    private NameServer ns() {
        return new Proxy(PyroURI.parse("PYRO:Pyro.NameServer@127.0.0.1:" + nsPort), CONFIG).as(NameServer.class);
    }

    private boolean registered(String name) {
        try (NameServer ns = ns()) {
            return ns.list().containsKey(name);
        } catch (CommunicationError nameServerDown) {
            return false;
        }
    }

    private static Proxy proxy(String uri) {
        Proxy proxy = new Proxy(PyroURI.parse(uri), CONFIG);
        proxy.setTimeout(Duration.ofSeconds(30));
        return proxy;
    }

    /** Polls every 5 ms; returns how long it took, or fails after {@code limit}. */
    private static Duration within(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long started = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - started > limit.toNanos()) {
                throw new AssertionError("not within " + limit.toMillis() + " ms: " + what);
            }
            Thread.sleep(5);
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Test
    void anEchoServerAttachedToTheSidecarIsCalledByNameThroughIt() throws Exception {
        nameServer(freePort());
        int port = freePort();
        int localPort = freePort();
        sidecar(port, localPort);
        attachedEcho(localPort);
        try (NameServer ns = ns()) {
            assertThat(ns.lookup(ECHO)).isEqualTo(PyroURI.parse("PYRO:" + ECHO + "@127.0.0.1:" + port));
        }
        Launcher.Result call = Launcher.run("call", "PYRONAME:" + ECHO + "@127.0.0.1:" + nsPort, "echo", "\"through the sidecar\"");
        assertThat(call.out()).isEqualTo("\"through the sidecar\"\n");
        Launcher.Result stream = Launcher.run("call", "PYRONAME:" + ECHO + "@127.0.0.1:" + nsPort, "generator");
        assertThat(stream.lines()).containsExactly("\"one\"", "\"two\"", "\"three\"");
    }

    @Test
    void killMinus9OfAnAppRemovesItsNameWithinASecondAndItsCallsFailAtOnce() throws Exception {
        nameServer(freePort());
        int port = freePort();
        int localPort = freePort();
        int appPort = freePort();
        sidecar(port, localPort);
        Launcher.Running echo = attachedEcho(localPort, "-p", String.valueOf(appPort));
        assertThat(registered(ECHO)).isTrue();

        echo.process.destroyForcibly();   // SIGKILL: the app gets no chance to say goodbye
        Duration gone = within(Duration.ofSeconds(1), "the dead app's name is removed", () -> !registered(ECHO));
        System.out.println("kill -9: name gone from the name server after " + gone.toMillis() + " ms");

        String direct = "PYRO:" + ECHO + "@127.0.0.1:" + port;
        long started = System.nanoTime();
        try (Proxy proxy = proxy(direct)) {
            assertThatThrownBy(() -> proxy.call("echo", "anyone?"))
                    .isInstanceOf(CommunicationError.class)
                    .hasMessageContaining("the app that served '" + ECHO + "' has gone");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused at once, not timed out").isLessThan(Duration.ofSeconds(5));

        // another process takes the dead app's port: nothing meant for the old one reaches it
        Launcher.Running squatter = start(Map.of(), "echo", "-H", "127.0.0.1", "-p", String.valueOf(appPort), "-v");
        squatter.awaitLine("echoserver running.");
        for (int i = 0; i < 20; i++) {
            try (Proxy proxy = proxy(direct)) {
                assertThatThrownBy(() -> proxy.call("echo", "meant for the dead app")).isInstanceOf(CommunicationError.class);
            }
        }
        squatter.process.toHandle().destroy();   // SIGTERM; Process.destroy() would close its output before we read it
        squatter.process.waitFor(10, TimeUnit.SECONDS);
        List<String> squatterSaw = squatter.out.lines().toList();
        assertThat(squatterSaw).noneMatch(line -> line.contains("echo:"));
    }

    @Test
    void sigtermOfTheSidecarRemovesItsNamesFirstThenLetsTheCallsInFlightFinish() throws Exception {
        nameServer(freePort());
        int port = freePort();
        int localPort = freePort();
        Launcher.Running sidecar = sidecar(port, localPort);
        Launcher.Running echo = attachedEcho(localPort);
        String direct = "PYRO:" + ECHO + "@127.0.0.1:" + port;
        List<CompletableFuture<Object>> inFlight = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            inFlight.add(CompletableFuture.supplyAsync(() -> {
                try (Proxy proxy = proxy(direct)) {
                    return proxy.call("slow");
                }
            }));
        }
        for (int i = 0; i < 3; i++) {
            awaitLineWith(echo, "slow: waiting a bit...");   // the app has the call
        }

        sidecar.process.toHandle().destroy();   // SIGTERM, keeping its output readable
        within(Duration.ofSeconds(1), "the sidecar removes its names first", () -> !registered(ECHO));
        // it stops accepting right after its names are gone: a call that slips in between is served
        within(Duration.ofSeconds(1), "no new calls while draining", () -> refused(direct));
        for (CompletableFuture<Object> call : inFlight) {
            assertThat(call.get(20, TimeUnit.SECONDS)).isEqualTo("Finally, an answer!");
        }
        assertThat(sidecar.process.waitFor(20, TimeUnit.SECONDS)).as("the sidecar exits").isTrue();
        assertThat(sidecar.awaitLine("Sidecar shut down")).isEqualTo(".");
    }

    @Test
    void aDeadSidecarsNamesExpireAndAfterItsRestartTheAppsAttachAgainByThemselves() throws Exception {
        nameServer(freePort());
        int port = freePort();
        int localPort = freePort();
        Launcher.Running sidecar = sidecar(port, localPort, "--lease", "3");
        attachedEcho(localPort);
        assertThat(registered(ECHO)).isTrue();

        sidecar.process.destroyForcibly();
        Duration expired = within(Duration.ofSeconds(6), "the dead sidecar's lease expires", () -> !registered(ECHO));
        System.out.println("kill -9 of the sidecar: its names expired after " + expired.toMillis() + " ms (lease 3 s)");

        sidecar(port, localPort, "--lease", "3");
        Duration back = within(Duration.ofSeconds(15), "the app attaches again and its name returns", () -> registered(ECHO));
        System.out.println("sidecar restart: the name was back " + back.toMillis() + " ms after the new sidecar started");
        Launcher.Result call = Launcher.run("call", "PYRONAME:" + ECHO + "@127.0.0.1:" + nsPort, "echo", "\"again\"");
        assertThat(call.out()).isEqualTo("\"again\"\n");
    }

    @Test
    void afterTheNameServerRestartsTheSidecarRegistersEverythingAgain() throws Exception {
        int nsAt = freePort();
        Launcher.Running ns = nameServer(nsAt);
        int localPort = freePort();
        sidecar(freePort(), localPort);
        attachedEcho(localPort);
        assertThat(registered(ECHO)).isTrue();

        ns.process.toHandle().destroy();
        ns.process.waitFor(10, TimeUnit.SECONDS);
        nameServer(nsAt);   // the memory store: it starts empty
        Duration back = within(Duration.ofSeconds(10), "the sidecar registers the name again", () -> registered(ECHO));
        System.out.println("name server restart: the name was back " + back.toMillis() + " ms after it started");
    }

    @Test
    void anAppStartedBeforeItsSidecarWaitsSaysSoAndAttachesOnceTheSidecarIsUp() throws Exception {
        nameServer(freePort());
        int localPort = freePort();
        File log = File.createTempFile("echo", ".log");
        log.deleteOnExit();
        Launcher.Running echo = new Launcher.Running(ProcessBuilder.Redirect.to(log), List.of(),
                Map.of("PYRO_SIDECAR", "127.0.0.1:" + localPort), "echo", "-H", "127.0.0.1", "-n");
        running.add(echo);
        echo.awaitLine("attaching to the sidecar at 127.0.0.1:" + localPort);
        within(Duration.ofSeconds(10), "the app logs that it waits",
                () -> read(log).contains("cannot attach to the sidecar at 127.0.0.1:" + localPort + " (UNAVAILABLE"));
        assertThat(read(log)).contains("waiting for it, trying again every 5 s at most");
        Thread.sleep(1500);   // a few attempts go by
        assertThat(echo.process.isAlive()).as("still waiting, not failed").isTrue();

        sidecar(freePort(), localPort);
        assertThat(echo.awaitLine("attached: ")).startsWith("PYRO:" + ECHO + "@127.0.0.1:");
        within(Duration.ofSeconds(5), "its name is registered", () -> registered(ECHO));
    }

    /** Whether a new call at {@code uri} is refused. */
    private static boolean refused(String uri) {
        try (Proxy late = proxy(uri)) {
            late.call("echo", "too late");
            return false;
        } catch (CommunicationError refused) {
            return true;
        }
    }

    /** Reads the process's output up to a line that contains {@code text}. */
    private static void awaitLineWith(Launcher.Running process, String text) throws IOException {
        for (String line = process.out.readLine(); line != null; line = process.out.readLine()) {
            if (line.contains(text)) {
                return;
            }
        }
        throw new AssertionError("the process ended without printing '" + text + "'");
    }

    private static String read(File file) {
        try {
            return Files.readString(file.toPath());
        } catch (IOException unreadable) {
            return "";
        }
    }

    @Test
    void badOptionsAndSettingsAreOneLineErrors() throws Exception {
        int busy;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            busy = taken.getLocalPort();
            Map<List<String>, String> mistakes = Map.of(
                    List.of("sidecar", "--lease", "1"), "Error: a lease must be at least 3 seconds, not 1.0\n",
                    List.of("sidecar", "--ns-port", "9"), "Error: --ns-port needs --ns-host\n",
                    List.of("sidecar", "--grace", "-1"), "Error: --grace must be a number of seconds >= 0, not -1.0\n",
                    List.of("sidecar", "-n", "127.0.0.1", "-p", String.valueOf(busy), "-l", "0", "--admin-port", "-1", "--ns-host", "127.0.0.1",
                            "--ns-port", String.valueOf(freePort())),
                    "Error: CommunicationError - cannot listen on 127.0.0.1:" + busy + ": ",
                    List.of("sidecar", "--lease", "soon"), "Invalid value for option '--lease': 'soon' is not a double",
                    List.of("echo", "--sidecar", "nonsense"), "Error: not a sidecar address (host:port): nonsense\n");
            for (Map.Entry<List<String>, String> mistake : mistakes.entrySet()) {
                Launcher.Result result = Launcher.run(mistake.getKey().toArray(String[]::new));
                assertThat(result.err()).as(mistake.getKey().toString()).startsWith(mistake.getValue()).doesNotContain("\tat ");
                assertThat(result.status()).as(mistake.getKey().toString()).isIn(1, 2);
            }
        }
        Launcher.Result badSetting = Launcher.run(Map.of("PYRO_SIDECAR", "nonsense"), "echo");
        assertThat(badSetting.err()).isEqualTo(
                "Error: invalid configuration - invalid value for PYRO_SIDECAR: 'nonsense' is not host:port\n");
        assertThat(badSetting.status()).isEqualTo(1);
    }
}
