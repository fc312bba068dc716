package io.pyromesh.nameserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.nameserver.store.MemoryStore;
import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.server.Daemon;
import io.pyromesh.testing.MutableClock;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.utils.EchoServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Autoclean against real endpoints: a live daemon, and a port nothing listens on. */
class AutoCleanerTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final NameRegistry registry = new NameRegistry(new MemoryStore(), clock);
    private final AutoCleaner cleaner = new AutoCleaner(registry, clock, uri -> Endpoints.reachable(uri, Duration.ofSeconds(2)));
    private Daemon live;
    private int deadPort;

    @BeforeEach
    void endpoints() throws IOException {
        live = new Daemon("127.0.0.1", 0);
        registry.register("live.echo", live.register(new EchoServer()).toString(), false, Set.of(), null);
        registry.register("live.other", live.register(new EchoServer()).toString(), false, Set.of(), null);
        try (ServerSocket closed = new ServerSocket(0)) {
            deadPort = closed.getLocalPort();
        }
        registry.register("dead", PyroURI.direct("x", "127.0.0.1", deadPort).toString(), false, Set.of(), null);
        registry.register("by.name", "PYRONAME:elsewhere", false, Set.of(), null);
        registry.registerSelf(PyroURI.direct("Pyro.NameServer", "127.0.0.1", deadPort), Set.of());
    }

    @AfterEach
    void stop() {
        live.shutdown();
    }

    private Set<String> names() {
        return Set.copyOf(registry.list(null, null).stream().map(Registration::name).toList());
    }

    @Test
    void liveEntriesAreNeverRemoved() {
        for (int round = 0; round < 10; round++) {
            cleaner.sweep();
            clock.advance(Duration.ofSeconds(10));
        }
        assertThat(names()).contains("live.echo", "live.other", "by.name", "Pyro.NameServer").doesNotContain("dead");
    }

    @Test
    void anUnreachableEntryStaysForTheGracePeriod() {
        cleaner.sweep();
        clock.advance(AutoCleaner.GRACE.minusSeconds(1));
        assertThat(cleaner.sweep()).isZero();
        assertThat(names()).contains("dead");
        clock.advance(Duration.ofSeconds(1));
        assertThat(cleaner.sweep()).isEqualTo(1);
        assertThat(names()).doesNotContain("dead");
    }

    @Test
    void anEndpointThatAnswersAgainIsForgiven() throws IOException {
        cleaner.sweep();
        clock.advance(Duration.ofSeconds(15));
        try (ServerSocket revived = new ServerSocket(deadPort)) {
            cleaner.sweep();
        }
        clock.advance(Duration.ofSeconds(15));
        assertThat(cleaner.sweep()).as("the failure clock restarted when it answered").isZero();
        assertThat(names()).contains("dead");
    }

    @Test
    void aWatchSeesAutocleanRemovalsAsSuch() {
        long before = registry.changes().revision();
        cleaner.sweep();
        clock.advance(AutoCleaner.GRACE);
        cleaner.sweep();
        assertThat(registry.changes().after(before, 100))
                .containsExactly(new ChangeLog.Change(before + 1, "dead", null, ChangeLog.Cause.AUTOCLEAN));
    }

    @Test
    void aDaemonThatStopsLosesAllItsNames() {
        cleaner.sweep();
        live.shutdown();
        cleaner.sweep();
        clock.advance(AutoCleaner.GRACE);
        cleaner.sweep();
        assertThat(names()).doesNotContain("live.echo", "live.other", "dead").contains("by.name", "Pyro.NameServer");
    }
}
