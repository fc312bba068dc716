package io.pyromesh.nameserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.testing.TestHosts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Discovery between two hosts on one LAN ({@link TestHosts}: network namespaces on a bridge, so this needs
 * root). Host 1 runs a responder on all interfaces and the default port and group; host 2 looks for it.
 * Each side is its own JVM started inside its host's namespace.
 */
@Timeout(120)
class DiscoveryAcrossHostsTest {
    private static final String PORT = "9091";
    private static final String GROUP = "239.255.90.91";
    /** The responder answers with its address facing the requester: host 1's on the shared link. */
    private static final String HOST1_NAME_SERVER = "PYRO:Pyro.NameServer@" + TestHosts.address(1) + ":9090";

    private static TestHosts hosts;
    private static Process responder;

    @BeforeAll
    static void startResponderOnHost1() throws IOException, InterruptedException {
        TestHosts.requireRootAndIproute2();
        hosts = TestHosts.create(2);
        responder = startResponder("-", PORT);
    }

    @AfterAll
    static void removeHosts() throws IOException, InterruptedException {
        // runs even when startResponderOnHost1 failed half-way
        if (responder != null) {
            stop(responder);
        }
        if (hosts != null) {
            hosts.remove();
        }
    }

    @Test
    void broadcastFindsTheResponderOnAnotherHost() throws Exception {
        assertThat(hosts.run(2, DiscoveryProgram.class, "query", PORT, "<broadcast>", "-"))
                .containsExactly(HOST1_NAME_SERVER);
    }

    @Test
    void multicastToTheGroupFindsTheResponderOnAnotherHost() throws Exception {
        assertThat(hosts.run(2, DiscoveryProgram.class, "query", PORT, "-", GROUP))
                .containsExactly(HOST1_NAME_SERVER);
    }

    @Test
    void withNobodyOnThePortTheQueryFindsNothing() throws Exception {
        assertThat(hosts.run(2, DiscoveryProgram.class, "query", "9092", "<broadcast>,0.0.0.0", GROUP))
                .containsExactly("none");
    }

    @Test
    void aResponderForLoopbackOnlyIgnoresOtherHosts() throws Exception {
        Process loopbackOnly = startResponder("127.0.0.1", "9093");
        try {
            assertThat(hosts.run(2, DiscoveryProgram.class, "query", "9093", "<broadcast>", GROUP))
                    .containsExactly("none");
            // yet it is there: its own host reaches it through loopback ("0.0.0.0" is this host)
            assertThat(hosts.run(1, DiscoveryProgram.class, "query", "9093", "0.0.0.0", "-"))
                    .containsExactly("PYRO:Pyro.NameServer@127.0.0.1:9090");
        } finally {
            stop(loopbackOnly);
        }
    }

    /** A responder on host 1 that has started listening. */
    private static Process startResponder(String bindHost, String port) throws IOException, InterruptedException {
        Process process = hosts.start(1, DiscoveryProgram.class, "respond", bindHost, port, GROUP);
        String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (!"listening".equals(line)) {
            stop(process);
            throw new AssertionError("the responder did not start (its errors are in the test output): " + line);
        }
        return process;
    }

    private static void stop(Process process) throws InterruptedException, IOException {
        process.getOutputStream().close();   // the responder's signal to stop
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
