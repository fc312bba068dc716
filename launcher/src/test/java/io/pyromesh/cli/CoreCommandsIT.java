package io.pyromesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.server.Daemon;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.utils.EchoServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** bin/pyromesh echo, call and check-config, run for real against a real daemon. */
class CoreCommandsIT {
    static Daemon daemon;
    static String echo;

    @BeforeAll
    static void startEchoServer() {
        daemon = new Daemon("127.0.0.1", 0);
        PyroURI uri = daemon.register(new EchoServer(), "test.echoserver");
        echo = uri.toString();
    }

    @AfterAll
    static void stop() {
        daemon.shutdown();
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo", "call", "check-config"})
    void everyCommandHasHelp(String command) throws Exception {
        Launcher.Result result = Launcher.run(command, "--help");
        assertThat(result.status()).isZero();
        assertThat(result.out()).startsWith("Usage: pyromesh " + command);
    }

    @Test
    void theTopLevelHelpListsTheCommands() throws Exception {
        Launcher.Result result = Launcher.run("--help");
        assertThat(result.status()).isZero();
        assertThat(result.out()).contains("echo", "call", "check-config");
    }

    @Test
    void helpOfOneCommandAndAMisspeltCommand() throws Exception {
        // a command line that names a command builds only that command's model; these must still see them all
        assertThat(Launcher.run("help", "sidecar").out()).startsWith("Usage: pyromesh sidecar ");
        assertThat(Launcher.run("nsc", "--help").out()).startsWith("Usage: pyromesh nsc ");
        Launcher.Result misspelt = Launcher.run("sidecr");
        assertThat(misspelt.status()).isEqualTo(2);
        assertThat(misspelt.err()).contains("Unmatched argument at index 0: 'sidecr'", "Did you mean: pyromesh sidecar");
    }

    @Test
    void everyCommandTellsItsVersion() throws Exception {
        String version = Launcher.run("--version").out();
        assertThat(version).startsWith("pyromesh ");
        for (String command : new String[] {"demo", "ns", "nsc", "echo", "call", "check-config", "gateway", "resolve", "sidecar"}) {
            assertThat(Launcher.run(command, "--version").out()).as(command + " --version").isEqualTo(version);
        }
    }

    @Test
    void aCollectorOrHeapSizeInPyromeshJavaOptsReplacesTheLaunchersOwn() throws Exception {
        for (String command : new String[] {"gateway", "sidecar", "nsc"}) {
            Launcher.Result parallel = Launcher.run(Map.of("PYROMESH_JAVA_OPTS", "-XX:+UseParallelGC -Xlog:gc"), command, "--version");
            assertThat(parallel.status()).as(command + " with its own collector: " + parallel.err()).isZero();
            assertThat(parallel.out()).contains("Using Parallel").contains("pyromesh ");
        }
        // a young generation above the launcher's initial heap of 32 MB
        Launcher.Result young = Launcher.run(Map.of("PYROMESH_JAVA_OPTS", "-Xmn64m"), "gateway", "--version");
        assertThat(young.status()).as(young.err()).isZero();
        assertThat(young.out()).startsWith("pyromesh ");
    }

    @Test
    void callTakesJsonArgumentsAndPrintsJson() throws Exception {
        assertThat(Launcher.run("call", echo, "echo", "\"hello\"").out()).isEqualTo("\"hello\"\n");
        assertThat(Launcher.run("call", echo, "echo", "{\"a\": [1, 2.5, null, true]}").out())
                .isEqualTo("{\"a\":[1,2.5,null,true]}\n");
        assertThat(Launcher.run("call", echo, "echo", "plain words").out()).isEqualTo("\"plain words\"\n");
        assertThat(Launcher.run("call", echo, "nan").out()).isEqualTo("NaN\n");
    }

    @Test
    void callPrintsStreamedItemsOnePerLine() throws Exception {
        Launcher.Result result = Launcher.run("call", echo, "generator");
        assertThat(result.status()).isZero();
        assertThat(result.lines()).containsExactly("\"one\"", "\"two\"", "\"three\"");
    }

    @Test
    void aRemoteExceptionPrintsTheRemoteTracebackAndFails() throws Exception {
        Launcher.Result result = Launcher.run("call", echo, "error");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err())
                .startsWith("java.lang.IllegalArgumentException: this is the generated error from echoserver echo() method\n"
                        + " +--- This exception occurred remotely (Pyro) - Remote traceback:\n")
                .contains(" | \tat io.pyromesh.utils.EchoServer.error(")
                .endsWith(" +--- End of remote traceback\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void onewayReturnsAtOnce() throws Exception {
        long started = System.nanoTime();
        Launcher.Result result = Launcher.run("call", "--oneway", echo, "slow");
        assertThat(result.status()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat((System.nanoTime() - started) / 1e9).as("seconds").isLessThan(5);
    }

    @Test
    void aTimeoutIsAnError() throws Exception {
        Launcher.Result result = Launcher.run("call", "--timeout", "0.5", echo, "slow");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: TimeoutError - ");
    }

    @Test
    void userErrorsPrintAMessageNotAStackTrace() throws Exception {
        String port = echo.substring(echo.lastIndexOf(':') + 1);
        Map<String[], String> mistakes = Map.of(
                new String[] {"call", "PYRO:obj@host:12x", "echo"}, "Error: PyroError - invalid port in uri, port=12x\n",
                new String[] {"call", echo, "nosuch"},
                "Error: SecurityError - remote object '" + echo + "' has no exposed attribute or method 'nosuch'\n",
                new String[] {"call", "PYRO:nope@127.0.0.1:" + port, "echo"}, "Error: DaemonError - unknown object: nope\n",
                new String[] {"call", echo, "echo", "1", "2"}, "Error: TypeError - echo() takes 1 argument but 2 were given\n",
                new String[] {"call", "--timeout", "-1", echo, "echo"}, "--timeout must be a number of seconds >= 0, not -1.0\n",
                new String[] {"call"}, "Missing required parameters: 'URI', 'METHOD'\n",
                new String[] {"call", echo, "echo", "1".repeat(5000)}, "Error: SerializeError - malformed JSON: Number value length (5000) exceeds the maximum allowed (4300)",
                new String[] {"call", echo, "echo", "[".repeat(31) + "]".repeat(31)}, "Error: SerializeError - malformed JSON at line 1, column 31: nests deeper than 30 levels");
        for (Map.Entry<String[], String> mistake : mistakes.entrySet()) {
            Launcher.Result result = Launcher.run(mistake.getKey());
            assertThat(result.err()).as(String.join(" ", mistake.getKey())).startsWith(mistake.getValue()).doesNotContain("\tat ");
            assertThat(result.status()).as(String.join(" ", mistake.getKey())).isIn(1, 2);
        }
    }

    @Test
    void anUnreachableDaemonIsACommunicationError() throws Exception {
        Launcher.Result result = Launcher.run("call", "PYRO:obj@127.0.0.1:1", "echo", "1");
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: CommunicationError - cannot connect to 127.0.0.1:1: ").doesNotContain("\tat ");
    }

    @Test
    void checkConfigPrintsEveryItem() throws Exception {
        Launcher.Result result = Launcher.run(Map.of("PYRO_NS_PORT", "9999"), "check-config");
        assertThat(result.status()).isZero();
        assertThat(result.lines()).contains("Protocol: pyromesh.v1 over gRPC", "NS_PORT = 9999", "HOST = localhost",
                "MAX_MESSAGE_SIZE = 67108864");
    }

    @Test
    void badSettingsStopEveryCommandAtStartUp() throws Exception {
        Launcher.Result badPort = Launcher.run(Map.of("PYRO_NS_PORT", "12x"), "check-config");
        assertThat(badPort.status()).isEqualTo(1);
        assertThat(badPort.err()).isEqualTo("Error: invalid configuration - invalid value for PYRO_NS_PORT: '12x' is not an integer\n");
        Launcher.Result badBool = Launcher.run(Map.of("PYRO_SSL", "maybe"), "call", echo, "echo", "x");
        assertThat(badBool.err()).isEqualTo("Error: invalid configuration - invalid value for PYRO_SSL: invalid boolean value: maybe\n");
        Launcher.Result unknown = Launcher.run(Map.of("PYRO_FOO", "1"), "echo");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("Error: invalid configuration - invalid Pyro environment config variable: PYRO_FOO\n");
    }

    @Test
    void theEchoServerPrintsItsUriAndServesIt() throws Exception {
        try (Launcher.Running server = new Launcher.Running("echo", "-H", "127.0.0.1")) {
            String uri = server.awaitLine("echo uri: ");
            assertThat(uri).startsWith("PYRO:test.echoserver@127.0.0.1:");
            assertThat(Launcher.run("call", uri, "echo", "42").out()).isEqualTo("42\n");
            assertThat(Launcher.run("call", uri, "shutdown").status()).isZero();
            assertThat(server.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(server.process.exitValue()).isZero();
        }
    }
}
