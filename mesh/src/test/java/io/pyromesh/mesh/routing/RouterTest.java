package io.pyromesh.mesh.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.NamingError;
import io.pyromesh.mesh.HopException;
import io.pyromesh.mesh.Target;
import io.pyromesh.nameserver.NameServerDaemon;
import io.pyromesh.testing.Eventually;
import io.pyromesh.uri.PyroURI;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Resolution through a cache the name server's Watch keeps current, balancing, and setting failed targets aside. */
class RouterTest {
    private static final PyroConfig CONFIG = PyroConfig.defaults().with("HOST", "127.0.0.1");
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final NameServerDaemon ns = NameServerDaemon.builder().config(CONFIG).host("127.0.0.1").port(0).broadcast(false).start();
    private final ChannelPool channels = new ChannelPool(CONFIG);
    private Router router = Router.builder(CONFIG).nameServer("127.0.0.1", ns.uri().port()).channels(channels).start();

    @AfterEach
    void stop() {
        router.close();
        channels.close();
        ns.close();
    }

    private void register(String name, String uri, String... tags) {
        ns.registry().register(name, uri, false, List.of(tags), null);
    }

    private void awaitResolves(String uri) {
        Eventually.within(PATIENCE, uri + " resolves", () -> {
            try {
                router.candidates(PyroURI.parse(uri));
                return true;
            } catch (NamingError notYet) {
                return false;
            }
        });
    }

    @Test
    void theNameServerTakesAHopsKeepalivePings() throws Exception {
        try (ChannelPool pinging = new ChannelPool(CONFIG, Duration.ofSeconds(10), Duration.ofSeconds(1));
                Router watching = Router.builder(CONFIG).nameServer("127.0.0.1", ns.uri().port()).channels(pinging).start()) {
            assertThat(watching.awaitCurrent(PATIENCE)).isTrue();
            // grpc-java's servers end a connection pinged more often than every 5 minutes at the third ping
            long end = System.nanoTime() + Duration.ofSeconds(35).toNanos();
            while (System.nanoTime() < end) {
                assertThat(watching.cacheState().state()).as("a quiet watch, pinged every 10 s").isEqualTo("LIVE");
                Thread.sleep(100);
            }
        }
    }

    @Test
    void aWatchOnAConnectionThatFellSilentIsFoundDeadByItsKeepalivePings() throws Exception {
        try (FreezableRelay relay = new FreezableRelay(ns.uri().port());
                ChannelPool pinging = new ChannelPool(CONFIG, Duration.ofSeconds(10), Duration.ofSeconds(1));
                Router watching = Router.builder(CONFIG).nameServer("127.0.0.1", relay.port()).channels(pinging).start()) {
            assertThat(watching.awaitCurrent(PATIENCE)).isTrue();
            relay.freeze();
            // TCP alone would call the connection open for hours, and the cache live with it
            Eventually.within(Duration.ofSeconds(40), "the watch found dead", () -> watching.cacheState().state().equals("STALE"));
            assertThat(watching.cacheState().problem()).contains("UNAVAILABLE");
            relay.thaw();
            register("after", "PYRO:after@10.0.0.9:9100");
            Eventually.within(PATIENCE, "the watch back", () -> watching.cacheState().state().equals("LIVE"));
            assertThat(watching.candidates(PyroURI.parse("PYRONAME:after"))).hasSize(1);
        }
    }

    @Test
    void namesResolveFromTheWatchedCacheAndFollowChanges() throws Exception {
        assertThat(router.awaitCurrent(PATIENCE)).isTrue();
        register("shop", "PYRO:shop@10.0.0.2:9100", "class:Shop");
        awaitResolves("PYRONAME:shop");

        assertThat(router.candidates(PyroURI.parse("PYRONAME:shop")))
                .containsExactly(new Candidate("shop", PyroURI.parse("PYRO:shop@10.0.0.2:9100"), Set.of("class:Shop")));
        assertThat(router.namesOf(PyroURI.parse("PYRO:shop@10.0.0.2:9100"))).containsExactly("shop");

        register("shop", "PYRO:shop@10.0.0.3:9100");
        Eventually.within(PATIENCE, "the new address", () -> router.candidates(PyroURI.parse("PYRONAME:shop")).get(0).uri().host().equals("10.0.0.3"));
        ns.registry().remove("shop");
        Eventually.within(PATIENCE, "the name is gone", () -> {
            try {
                router.candidates(PyroURI.parse("PYRONAME:shop"));
                return false;
            } catch (NamingError gone) {
                return gone.getMessage().equals("unknown name: shop");
            }
        });
        assertThat(router.cacheState().state()).isEqualTo("LIVE");
        assertThat(router.cacheState().revision()).isPositive();
    }

    @Test
    void aMetaQueryFindsEveryReplicaAndAPyroUriIsItself() throws Exception {
        register("shop.1", "PYRO:shop.1@10.0.0.2:9100", "role:shop", "zone:a");
        register("shop.2", "PYRO:shop.2@10.0.0.3:9100", "role:shop", "zone:b");
        register("cart", "PYRO:cart@10.0.0.3:9100", "role:cart", "zone:b");
        assertThat(router.awaitCurrent(PATIENCE)).isTrue();
        awaitResolves("PYRONAME:cart");

        assertThat(router.candidates(PyroURI.parse("PYROMETA:role:shop"))).extracting(Candidate::name).containsExactly("shop.1", "shop.2");
        assertThat(router.candidates(PyroURI.parse("PYROMETA:role:shop,zone:b"))).extracting(Candidate::name).containsExactly("shop.2");
        assertThatThrownBy(() -> router.candidates(PyroURI.parse("PYROMETA:role:none")))
                .isInstanceOf(NamingError.class)
                .hasMessage("no registrations available with desired metadata properties {'role:none'}");
        assertThat(router.candidates(PyroURI.parse("PYRO:x@10.9.9.9:1"))).containsExactly(new Candidate(null, PyroURI.parse("PYRO:x@10.9.9.9:1"), Set.of()));
    }

    @Test
    void roundRobinSharesCallsEvenlyAndLeastInFlightAvoidsABusyReplica() throws Exception {
        register("shop.1", "PYRO:shop.1@127.0.0.1:9101", "role:shop");
        register("shop.2", "PYRO:shop.2@127.0.0.1:9102", "role:shop");
        register("shop.3", "PYRO:shop.3@127.0.0.1:9103", "role:shop");
        router.close();
        router = Router.builder(CONFIG).nameServer("127.0.0.1", ns.uri().port()).channels(channels).balancing(Balancing.ROUND_ROBIN).start();
        assertThat(router.awaitCurrent(PATIENCE)).isTrue();
        PyroURI replicas = PyroURI.parse("PYROMETA:role:shop");
        Map<String, Integer> shares = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            Target target = router.route(replicas);
            shares.merge(target.objectId(), 1, Integer::sum);
            target.finished(Status.OK, true);
        }
        assertThat(shares).containsOnly(Map.entry("shop.1", 100), Map.entry("shop.2", 100), Map.entry("shop.3", 100));

        router.close();
        router = Router.builder(CONFIG).nameServer("127.0.0.1", ns.uri().port()).channels(channels).start();
        assertThat(router.awaitCurrent(PATIENCE)).isTrue();
        List<Candidate> two = router.candidates(replicas).subList(0, 2);
        List<Target> busy = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            busy.add(router.pick(two.subList(0, 1))); // five calls in flight at shop.1
        }
        for (int i = 0; i < 50; i++) {
            Target target = router.pick(two);
            assertThat(target.objectId()).isEqualTo("shop.2");
            target.finished(Status.OK, true);
        }
        busy.forEach(target -> target.finished(Status.OK, true));
    }

    @Test
    void aReplicaThatFailsIsSetAsideAndFailoverSkipsIt() throws Exception {
        register("shop.1", "PYRO:shop.1@127.0.0.1:9101", "role:shop");
        register("shop.2", "PYRO:shop.2@127.0.0.1:9102", "role:shop");
        assertThat(router.awaitCurrent(PATIENCE)).isTrue();
        awaitResolves("PYRONAME:shop.2");
        PyroURI replicas = PyroURI.parse("PYROMETA:role:shop");

        Target first = router.route(replicas);
        first.finished(Status.UNAVAILABLE.withDescription("connection refused"), false);
        Target other = first.failover();
        assertThat(other.objectId()).isNotEqualTo(first.objectId());
        other.finished(Status.OK, true);
        assertThat(other.failover()).as("both replicas tried").isNull();

        for (int i = 0; i < 20; i++) {
            Target target = router.route(replicas);
            assertThat(target.objectId()).isEqualTo(other.objectId());
            target.finished(Status.OK, true);
        }
        Explanation explained = router.explain(replicas);
        assertThat(explained.candidates()).hasSize(2);
        Explanation.Option setAside = explained.candidates().stream().filter(option -> option.name().equals(first.objectId())).findFirst().orElseThrow();
        assertThat(setAside.ejectedFor()).isNotNull();
        assertThat(setAside.ejectedBecause()).isEqualTo("UNAVAILABLE: connection refused");
        assertThat(explained.pick().name()).isEqualTo(other.objectId());

        // the name server putting the registration anew takes it back
        register(first.objectId(), "PYRO:" + first.objectId() + "@127.0.0.1:910" + first.objectId().charAt(5), "role:shop");
        Eventually.within(PATIENCE, "reinstated", () -> router.explain(replicas).candidates().stream().allMatch(option -> option.ejectedFor() == null));
    }

    @Test
    void whenEveryCandidateIsSetAsideOneIsTriedAnyway() throws Exception {
        register("only", "PYRO:only@127.0.0.1:9101");
        assertThat(router.awaitCurrent(PATIENCE)).isTrue();
        awaitResolves("PYRONAME:only");
        Target target = router.route(PyroURI.parse("PYRONAME:only"));
        target.finished(Status.NOT_FOUND.withDescription("unknown object: only"), true);
        assertThat(target.failover()).isNull();
        assertThat(router.route(PyroURI.parse("PYRONAME:only")).objectId()).isEqualTo("only");
    }

    @Test
    void aUriNamingAnotherNameServerIsRefused() throws Exception {
        assertThat(router.awaitCurrent(PATIENCE)).isTrue();
        assertThatThrownBy(() -> router.candidates(PyroURI.parse("PYRONAME:shop@evil.example:9090")))
                .isInstanceOfSatisfying(HopException.class, refused -> {
                    assertThat(refused.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(refused.getMessage()).contains("evil.example:9090");
                });
        register("shop", "PYRO:shop@10.0.0.2:9100");
        awaitResolves("PYRONAME:shop@127.0.0.1:" + ns.uri().port());
    }

    @Test
    void beforeTheNameServerAnswersNamesAreUnavailableAndExplainSaysWhy() throws Exception {
        int nowhere;
        try (ServerSocket socket = new ServerSocket(0)) {
            nowhere = socket.getLocalPort();
        }
        try (Router lost = Router.builder(CONFIG).nameServer("127.0.0.1", nowhere).channels(channels).start()) {
            assertThat(lost.awaitCurrent(Duration.ofMillis(500))).isFalse();
            assertThatThrownBy(() -> lost.candidates(PyroURI.parse("PYRONAME:shop")))
                    .isInstanceOf(CommunicationError.class)
                    .hasMessageStartingWith("no registrations known yet: cannot find the name server");
            Eventually.within(PATIENCE, "explain tells", () -> lost.explain(PyroURI.parse("PYRONAME:shop")).lines().toString().contains("Failed to locate the nameserver"));
            assertThat(lost.cacheState().state()).isEqualTo("EMPTY");
        }
    }

    @Test
    void aRestartedNameServerIsFollowedAndItsNewHistoryReplacesTheOld() throws Exception {
        int port = ns.uri().port();
        register("old", "PYRO:old@10.0.0.2:9100");
        assertThat(router.awaitCurrent(PATIENCE)).isTrue();
        awaitResolves("PYRONAME:old");
        String history = router.cacheState().historyId();

        ns.close();
        Eventually.within(PATIENCE, "the cache notices", () -> router.cacheState().state().equals("STALE"));
        assertThat(router.candidates(PyroURI.parse("PYRONAME:old"))).hasSize(1); // served from what it knew

        try (NameServerDaemon restarted = NameServerDaemon.builder().config(CONFIG).host("127.0.0.1").port(port).broadcast(false).start()) {
            restarted.registry().register("new", "PYRO:new@10.0.0.3:9100", false, List.of(), null);
            awaitResolves("PYRONAME:new");
            assertThatThrownBy(() -> router.candidates(PyroURI.parse("PYRONAME:old"))).isInstanceOf(NamingError.class);
            assertThat(router.cacheState().historyId()).isNotEqualTo(history);
            assertThat(router.cacheState().state()).isEqualTo("LIVE");
        }
    }
}
