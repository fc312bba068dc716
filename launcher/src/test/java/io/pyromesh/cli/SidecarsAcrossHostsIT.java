package io.pyromesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.testing.TestHosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The mesh across three "hosts" (network namespaces on one bridge; needs root): the name server on host
 * 3, a sidecar on hosts 1 and 2 that each find it by multicast alone, the echo server attached to the
 * sidecar of host 2, and an app on host 1 that calls it by name through its own sidecar, which routes the
 * call to host 2's sidecar, which forwards it to the echo server.
 */
@Timeout(180)
class SidecarsAcrossHostsIT {
    /** Discovery by multicast only: no broadcast addresses to ask. */
    private static final Map<String, String> MULTICAST_ONLY = Map.of("PYRO_BROADCAST_ADDRS", "");
    private static TestHosts hosts;
    private static final List<Launcher.Running> running = new ArrayList<>();

    @BeforeAll
    static void makeHosts() throws Exception {
        TestHosts.requireRootAndIproute2();
        hosts = TestHosts.create(3);
    }

    @AfterAll
    static void removeHosts() throws Exception {
        for (Launcher.Running process : running) {
            process.close();
        }
        if (hosts != null) {
            hosts.remove();
        }
    }

    private static Launcher.Running on(int host, Map<String, String> env, String... args) throws Exception {
        Launcher.Running process = new Launcher.Running(hosts.on(host, List.of()), env, args);
        running.add(process);
        return process;
    }

    @Test
    void anAppOnHost1CallsAnObjectOnHost2ThroughBothSidecars() throws Exception {
        Launcher.Running ns = on(3, Map.of(), "ns", "-n", "0.0.0.0");
        ns.awaitLine("URI = ");
        String nameServer = "Name server: PYRO:Pyro.NameServer@" + TestHosts.address(3) + ":9090";
        for (int host = 1; host <= 2; host++) {
            Launcher.Running sidecar = on(host, MULTICAST_ONLY, "sidecar", "-n", "0.0.0.0", "--admin-port", "-1");
            assertThat(sidecar.awaitLine("Sidecar running on ")).as("the address facing the name server")
                    .startsWith(TestHosts.address(host) + ":9100: ");
            assertThat(sidecar.awaitLine("Name server: ")).as("found by multicast").isEqualTo(nameServer.substring("Name server: ".length()));
        }
        Launcher.Running echo = on(2, Map.of("PYRO_SIDECAR", "127.0.0.1:9101"), "echo", "-n");
        assertThat(echo.awaitLine("attached: ")).isEqualTo("PYRO:test.echoserver@" + TestHosts.address(2) + ":9100");

        // the sidecar of host 1 learns of the new name through the name server's watch
        String answer = "";
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!answer.equals("from host 1") && System.nanoTime() < deadline) {
            answer = hosts.run(1, OutboundCallProgram.class, "127.0.0.1:9101", "PYRONAME:test.echoserver", "echo", "from host 1").get(0);
        }
        assertThat(answer).isEqualTo("from host 1");
        assertThat(hosts.run(1, OutboundCallProgram.class, "127.0.0.1:9101",
                "PYRO:test.echoserver@" + TestHosts.address(2) + ":9100", "echo", "by uri")).containsExactly("by uri");
    }
}
