package io.pyromesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** bin/pyromesh gateway and resolve, run for real beside a real name server and echo server. */
class GatewayCommandsIT {
    static Launcher.Running ns;
    static Launcher.Running echo;
    static Launcher.Running gateway;
    static String nsPort;
    static String gatewayPort;
    static String admin;

    @BeforeAll
    static void startMesh() throws Exception {
        ns = new Launcher.Running("ns", "-n", "127.0.0.1", "-p", "0");
        String running = ns.awaitLine("NS running on 127.0.0.1:");
        nsPort = running.substring(0, running.indexOf(' '));
        echo = new Launcher.Running(Map.of("PYRO_NS_HOST", "127.0.0.1", "PYRO_NS_PORT", nsPort), "echo", "-H", "127.0.0.1", "-n");
        echo.awaitLine("echoserver running.");
        gateway = new Launcher.Running("gateway", "-n", "127.0.0.1", "-p", "0", "--admin-port", "0",
                "--ns", "127.0.0.1:" + nsPort, "--expose", "test\\.");
        gatewayPort = gateway.awaitLine("Gateway running on 127.0.0.1:");
        assertThat(gateway.awaitLine("Exposing names matching: ")).isEqualTo("test\\.");
        assertThat(gateway.awaitLine("Name server 127.0.0.1:" + nsPort + ": ")).startsWith("live at revision");
        String adminLine = gateway.awaitLine("Admin on ");
        admin = adminLine.substring(0, adminLine.indexOf(' '));
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        echo.close();
        ns.close();
    }

    @Test
    void aCallByNameGoesThroughTheGateway() throws Exception {
        Launcher.Result result = Launcher.run("call", "PYRO:PYRONAME:test.echoserver@127.0.0.1:" + gatewayPort, "echo", "{\"via\": \"gateway\"}");
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("{\"via\":\"gateway\"}\n");

        Launcher.Result denied = Launcher.run("call", "PYRO:PYRONAME:Pyro.NameServer@127.0.0.1:" + gatewayPort, "list");
        assertThat(denied.status()).isEqualTo(1);
        assertThat(denied.err()).isEqualTo("Error: SecurityError - access to the requested object has been denied (gateway 127.0.0.1:"
                + gatewayPort + ")\n");
    }

    @Test
    void resolveShowsCandidatesPickCacheAndWhatAnswers() throws Exception {
        Launcher.Result result = Launcher.run("resolve", "--ns", "127.0.0.1:" + nsPort, "PYRONAME:test.echoserver");
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.lines().get(0)).isEqualTo("uri:        PYRONAME:test.echoserver");
        assertThat(result.lines().get(1)).startsWith("cache:      name server 127.0.0.1:" + nsPort + ", live at revision ");
        assertThat(result.lines().get(2)).isEqualTo("candidates: 1");
        assertThat(result.lines().get(3)).startsWith("  test.echoserver -> PYRO:test.echoserver@127.0.0.1:");
        assertThat(result.lines().get(4)).startsWith("pick:       test.echoserver -> PYRO:test.echoserver@127.0.0.1:")
                .endsWith("(least in flight of two random picks)");
        assertThat(result.lines().get(5)).startsWith("behind it:  Pyro.Daemon bound on 127.0.0.1:");
        assertThat(result.lines().get(6)).startsWith("object:     test.echoserver exposes methods [").contains("echo", "generator");

        Launcher.Result unknown = Launcher.run("resolve", "--ns", "127.0.0.1:" + nsPort, "PYROMETA:no.such.tag");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.out()).contains("resolves to nothing: no registrations available with desired metadata properties {'no.such.tag'}");
    }

    @Test
    void resolveAsksARunningGatewayForItsView() throws Exception {
        Launcher.Result result = Launcher.run("resolve", "--gateway", admin, "PYRONAME:test.echoserver");
        assertThat(result.status()).as(result.err()).isZero();
        assertThat(result.out()).contains("\"reachable\" : true", "\"state\" : \"LIVE\"", "\"name\" : \"test.echoserver\"");

        Launcher.Result hidden = Launcher.run("resolve", "--gateway", admin, "PYRONAME:Pyro.NameServer");
        assertThat(hidden.status()).isEqualTo(1);
        assertThat(hidden.out()).contains("\"reachable\" : false", "access to the requested object has been denied");
    }

    @Test
    void badInputGetsOneLineAndAnExitStatus() throws Exception {
        Launcher.Result badUri = Launcher.run("resolve", "not a uri");
        assertThat(badUri.status()).isEqualTo(1);
        assertThat(badUri.err()).isEqualTo("Error: PyroError - invalid uri\n");

        Launcher.Result badRegex = Launcher.run("gateway", "-p", "0", "--admin-port", "-1", "--ns", "127.0.0.1:" + nsPort, "--expose", "(");
        assertThat(badRegex.status()).isEqualTo(1);
        assertThat(badRegex.err()).startsWith("Error: invalid --expose regex (: ");

        Launcher.Result badNs = Launcher.run("resolve", "--ns", "127.0.0.1:notaport", "PYRONAME:x");
        assertThat(badNs.status()).isEqualTo(1);
        assertThat(badNs.err()).isEqualTo("Error: not HOST[:PORT]: 127.0.0.1:notaport\n");

        Launcher.Result badBalancing = Launcher.run("gateway", "-p", "0", "--balancing", "random");
        assertThat(badBalancing.status()).isEqualTo(1);
        assertThat(badBalancing.err()).isEqualTo("Error: --balancing is least-in-flight or round-robin, not random\n");

        Launcher.Result busy = Launcher.run("gateway", "-n", "127.0.0.1", "-p", gatewayPort, "--admin-port", "-1", "--ns", "127.0.0.1:" + nsPort);
        assertThat(busy.status()).isEqualTo(1);
        assertThat(busy.err()).startsWith("Error: CommunicationError - cannot listen on 127.0.0.1:" + gatewayPort);
    }
}
