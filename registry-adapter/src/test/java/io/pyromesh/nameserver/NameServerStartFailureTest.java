package io.pyromesh.nameserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.testing.TestHosts;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A name server that cannot start leaves nothing running: no listening port, no open store, no threads.
 * It runs on a {@link TestHosts} host (root), because discovery only starts off loopback.
 */
@Timeout(120)
class NameServerStartFailureTest {
    @Test
    void aBusyDiscoveryPortStopsEverythingThatHadStarted(@TempDir Path dir) throws Exception {
        TestHosts.requireRootAndIproute2();
        TestHosts hosts = TestHosts.create(1);
        try {
            assertThat(hosts.run(1, StartFailureProgram.class, TestHosts.address(1), dir.resolve("ns.db").toString()))
                    .satisfiesExactly(
                            failed -> assertThat(failed).startsWith("failed: CommunicationError: cannot listen for discovery requests on 0.0.0.0:"),
                            port -> assertThat(port).isEqualTo("port: free"),
                            store -> assertThat(store).isEqualTo("store files open: 0"),
                            threads -> assertThat(threads).isEqualTo("threads: []"));
        } finally {
            hosts.remove();
        }
    }
}
