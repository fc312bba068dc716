package io.pyromesh.nameserver.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.nameserver.store.Store.ExternalChange;
import io.pyromesh.nameserver.store.StoreUnavailableError;
import io.pyromesh.nameserver.store.Stores;
import io.pyromesh.testing.DevConsul;
import io.pyromesh.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * When Consul is gone or hangs, calls fail with {@link StoreUnavailableError} (UNAVAILABLE) naming Consul's
 * address within a bounded time, never hang and never answer from a cache Consul no longer confirms; when
 * Consul is back, the store recovers by itself.
 */
class ConsulOutageTest {
    /** A write gives up after the request timeout; a few seconds more for a loaded machine. */
    private static final Duration WRITE_BOUND = ConsulConnection.REQUEST_TIMEOUT.plusSeconds(3);
    /** Reads stop once the watch has not heard from Consul within the staleness bound. */
    private static final Duration READ_BOUND = CatalogWatch.STALENESS_BOUND.plusSeconds(2);
    /** The watch retries at least every 2 s, then needs one answer. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(2).plus(CatalogWatch.STALENESS_BOUND);

    @RegisterExtension
    final DevConsul consul = new DevConsul();
    private ConsulStore store;
    private final List<ExternalChange> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        store = new ConsulStore(consul.httpAddress());
        store.onExternalChange(heard::add);
        store.put(new Registration("before", "PYRO:obj@localhost:1", Set.of("t")));
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void aStoppedConsulFailsCallsNamingItsAddressAndTheStoreRecoversWhenItIsBack() throws Exception {
        consul.agent().stop();

        assertTimeoutPreemptively(WRITE_BOUND, () ->
                assertThatThrownBy(() -> store.put(new Registration("during", "PYRO:obj@localhost:2", Set.of())))
                        .isInstanceOf(StoreUnavailableError.class)
                        .hasMessageStartingWith("consul at " + consul.httpAddress() + " is unavailable"));
        Eventually.within(READ_BOUND, "the store says it is unavailable", () -> !store.available());
        assertThatThrownBy(() -> store.get("before"))
                .isInstanceOf(StoreUnavailableError.class)
                .hasMessageContaining("consul at " + consul.httpAddress());

        consul.agent().start();   // a dev agent comes back empty

        Eventually.within(RECOVERY_BOUND, "the store is available again", store::available);
        store.put(new Registration("after", "PYRO:obj@localhost:3", Set.of()));
        assertThat(store.get("after")).isPresent();
        Eventually.within(READ_BOUND, "what Consul forgot is gone", () -> store.get("before").isEmpty());
        assertThat(heard).containsExactly(new ExternalChange("before", null));
    }

    @Test
    void aHangingConsulFailsCallsWithinBoundedTimeAndTheStoreRecoversWhenItAnswers() throws Exception {
        consul.agent().freeze();

        assertTimeoutPreemptively(WRITE_BOUND, () ->
                assertThatThrownBy(() -> store.put(new Registration("during", "PYRO:obj@localhost:2", Set.of())))
                        .isInstanceOf(StoreUnavailableError.class)
                        .hasMessageContaining("consul at " + consul.httpAddress()));
        Eventually.within(READ_BOUND, "reads fail rather than answer from a cache Consul does not confirm",
                () -> !store.available());
        assertTimeoutPreemptively(WRITE_BOUND, () ->
                assertThatThrownBy(() -> store.withPrefix("")).isInstanceOf(StoreUnavailableError.class));

        consul.agent().thaw();

        Eventually.within(RECOVERY_BOUND, "the store is available again", store::available);
        assertThat(store.get("before")).as("nothing was lost").isPresent();
    }

    @Test
    void aConsulThatIsNotThereFailsTheStoresOpeningNamingIt() throws Exception {
        String nowhere = DevConsul.nowhere();

        assertTimeoutPreemptively(WRITE_BOUND, () ->
                assertThatThrownBy(() -> Stores.open("consul:" + nowhere))
                        .isInstanceOf(StoreUnavailableError.class)
                        .hasMessageStartingWith("consul at " + nowhere + " is unavailable"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:8500", "http://localhost", "ftp://localhost:8500", "http://localhost:8500/v1",
            "http://user@localhost:8500", "http://localhost:8500?x=1", "http://:8500", "http://local host:8500"})
    void anAddressThatIsNotHttpHostPortIsRefused(String address) {
        assertThatThrownBy(() -> Stores.open("consul:" + address))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid consul address '" + address + "'");
    }
}
