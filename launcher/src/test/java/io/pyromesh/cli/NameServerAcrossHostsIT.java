package io.pyromesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.testing.TestHosts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real name server found by discovery from another "host" (a network namespace on a bridge):
 * {@code pyromesh ns -n 0.0.0.0} on host 1, {@code pyromesh nsc} with no host on host 2. Needs root.
 */
class NameServerAcrossHostsIT {
    static TestHosts hosts;

    @BeforeAll
    static void makeHosts() throws Exception {
        TestHosts.requireRootAndIproute2();
        hosts = TestHosts.create(2);
    }

    @AfterAll
    static void removeHosts() throws Exception {
        if (hosts != null) {
            hosts.remove();
        }
    }

    private static Launcher.Result onHost2(Map<String, String> env, String... args) throws Exception {
        return Launcher.runWrapped(hosts.on(2, List.of()), env, null, args);
    }

    @Test
    void nscOnAnotherHostFindsTheNameServerByBroadcastAndByMulticast() throws Exception {
        try (Launcher.Running ns = new Launcher.Running(hosts.on(1, List.of()), Map.of(), "ns", "-n", "0.0.0.0")) {
            assertThat(ns.awaitLine("Broadcast server running on ")).isEqualTo("0.0.0.0:9091");
            assertThat(ns.awaitLine("URI = ")).isEqualTo("PYRO:Pyro.NameServer@0.0.0.0:9090");

            Launcher.Result both = onHost2(Map.of(), "nsc", "-v", "ping");
            assertThat(both.out()).isEqualTo("""
                    Locating name server...
                    Name server found: PYRO:Pyro.NameServer@%s:9090
                    Name server ping ok.
                    Done.
                    """.formatted(TestHosts.address(1)));

            Launcher.Result multicastOnly = onHost2(Map.of("PYRO_BROADCAST_ADDRS", ""), "nsc", "ping");
            assertThat(multicastOnly.out()).as(multicastOnly.err()).isEqualTo("Name server ping ok.\n");

            Launcher.Result broadcastOnly = onHost2(Map.of("PYRO_NS_MCGROUP", "239.255.90.99"), "nsc", "ping");
            assertThat(broadcastOnly.out()).as("the responder is not in this group, so broadcast found it")
                    .isEqualTo("Name server ping ok.\n");

            Launcher.Result byName = onHost2(Map.of(), "nsc", "lookup", "Pyro.NameServer");
            assertThat(byName.out()).startsWith("PYRO:Pyro.NameServer@0.0.0.0:9090\n");
        }
    }

    @Test
    void withNoNameServerAnywhereDiscoveryFailsWithPyrosMessageInAFewSeconds() throws Exception {
        long started = System.nanoTime();
        Launcher.Result result = onHost2(Map.of(), "nsc", "ping");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(result.err()).isEqualTo("Error: Failed to locate the nameserver\n");
        assertThat(result.status()).isEqualTo(1);
        assertThat(seconds).as("seconds, JVM start included").isLessThan(15);
    }
}
