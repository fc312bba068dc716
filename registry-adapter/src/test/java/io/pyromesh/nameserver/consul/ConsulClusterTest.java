package io.pyromesh.nameserver.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.testing.ConsulCluster;
import io.pyromesh.testing.TestHosts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three hosts, each a Consul server ({@link ConsulCluster}, network namespaces: needs root). Host 1 runs a
 * name server and a sidecar-like process that registers names with a lease and renews them; host 3 runs
 * another name server over its own server. One Consul server dies and everything is still served and
 * writable; then host 1's processes are killed with SIGKILL and Consul alone ends their leases.
 */
@Timeout(600)
class ConsulClusterTest {
    private static final double LEASE_SECONDS = 5;
    /** Sidecar names disappear once their lease runs out unrenewed, and the cache learns of it. */
    private static final Duration INVISIBLE_WITHIN = Duration.ofSeconds((long) LEASE_SECONDS).plus(CatalogWatch.STALENESS_BOUND);
    /** Consul reaps a critical service a minute after it turned critical, with a reaper that runs every 30 s. */
    private static final Duration GONE_WITHIN = ConsulStore.DEREGISTER_CRITICAL_AFTER.plusSeconds(30 + 30);

    private TestHosts hosts;
    private ConsulCluster cluster;
    private Process nameServerOnHost1;
    private Process sidecarOnHost1;
    private Process nameServerOnHost3;

    @BeforeEach
    void startCluster() throws Exception {
        TestHosts.requireRootAndIproute2();
        hosts = TestHosts.create(ConsulCluster.SERVERS);
        cluster = ConsulCluster.start(hosts);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process process : new Process[] {sidecarOnHost1, nameServerOnHost1, nameServerOnHost3}) {
            if (process != null) {
                process.destroyForcibly().waitFor();
            }
        }
        if (cluster != null) {
            cluster.close();
        }
        if (hosts != null) {
            hosts.remove();
        }
    }

    @Test
    void registrationsOutliveAConsulServerAndACrashedSidecarsLeasesEndInConsulAlone() throws Exception {
        nameServerOnHost1 = start(1, "ns", TestHosts.address(1), ConsulCluster.httpAddress(1));
        nameServerOnHost3 = start(3, "ns", TestHosts.address(3), ConsulCluster.httpAddress(3));
        hosts.run(1, ConsulClusterProgram.class, "register", TestHosts.address(1), "stays.put");
        sidecarOnHost1 = start(1, "sidecar", TestHosts.address(1), String.valueOf(LEASE_SECONDS), "sidecar.a", "sidecar.b");

        awaitNamesOnHost3(names -> names.containsAll(List.of("sidecar.a", "sidecar.b", "stays.put")), Duration.ofSeconds(30),
                "host 3's name server serves what was registered through host 1's");

        cluster.kill(2);
        // two of three servers are still a quorum: served and writable
        hosts.run(3, ConsulClusterProgram.class, "register", TestHosts.address(3), "after.kill");
        awaitNamesOnHost3(names -> names.containsAll(List.of("after.kill", "sidecar.a", "sidecar.b", "stays.put")),
                Duration.ofSeconds(30), "everything is served after a Consul server died");

        // host 1's sidecar and name server crash; host 1's Consul server carries on and runs their TTL checks
        sidecarOnHost1.destroyForcibly().waitFor();
        nameServerOnHost1.destroyForcibly().waitFor();
        awaitNamesOnHost3(names -> !names.contains("sidecar.a") && !names.contains("sidecar.b"), INVISIBLE_WITHIN,
                "the sidecar's names are invisible once their TTL has run out");
        assertThat(names(3)).contains("stays.put", "after.kill");

        assertThat(catalogServices()).as("critical, hidden, but still in Consul's catalog")
                .contains(ServiceNames.encode("sidecar.a"), ServiceNames.encode("sidecar.b"));
        awaitCatalog(services -> !services.contains(ServiceNames.encode("sidecar.a"))
                && !services.contains(ServiceNames.encode("sidecar.b")), GONE_WITHIN);
        assertThat(catalogServices()).contains(ServiceNames.encode("stays.put"), ServiceNames.encode("after.kill"));
    }

    /** Starts the program on a host and waits for its first line (the name server's URI, "registered"). */
    private Process start(int host, String... args) throws IOException {
        Process process = hosts.start(host, ConsulClusterProgram.class, args);
        String first = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(first).as(String.join(" ", args) + " on host " + host + " started").isNotNull();
        return process;
    }

    private List<String> names(int host) throws Exception {
        return hosts.run(host, ConsulClusterProgram.class, "list", TestHosts.address(host), "");
    }

    private List<String> catalogServices() throws Exception {
        return cluster.consul(3, "catalog", "services");
    }

    private void awaitNamesOnHost3(Predicate<List<String>> condition, Duration bound, String what) throws Exception {
        Instant deadline = Instant.now().plus(bound);
        List<String> names = names(3);
        while (!condition.test(names)) {
            assertThat(Instant.now()).as(what + " (names now: " + names + ")").isBefore(deadline);
            Thread.sleep(250);
            names = names(3);
        }
    }

    private void awaitCatalog(Predicate<List<String>> condition, Duration bound) throws Exception {
        Instant deadline = Instant.now().plus(bound);
        List<String> services = catalogServices();
        while (!condition.test(services)) {
            assertThat(Instant.now()).as("Consul reaps the critical instances (services now: " + services + ")").isBefore(deadline);
            Thread.sleep(1000);
            services = catalogServices();
        }
    }
}
