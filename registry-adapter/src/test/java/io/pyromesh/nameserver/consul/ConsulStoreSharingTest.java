package io.pyromesh.nameserver.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.nameserver.store.Store.ExternalChange;
import io.pyromesh.testing.DevConsul;
import io.pyromesh.testing.Eventually;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two stores over one real Consul agent, as two name servers share it: what one writes the other sees
 * within the staleness bound and hears of as an external change; neither hears of its own writes; Consul's
 * TTL checks end leases that are not renewed.
 */
class ConsulStoreSharingTest {
    /** What the cache promises: a change in Consul shows within this, or reads fail. */
    private static final Duration BOUND = CatalogWatch.STALENESS_BOUND;

    @RegisterExtension
    static final DevConsul consul = new DevConsul();

    private ConsulStore first;
    private ConsulStore second;
    private final List<ExternalChange> heardByFirst = new CopyOnWriteArrayList<>();
    private final List<ExternalChange> heardBySecond = new CopyOnWriteArrayList<>();

    @BeforeEach
    void openStores() {
        first = new ConsulStore(consul.httpAddress());
        first.removeAll(first.withPrefix("").stream().map(Registration::name).toList());
        second = new ConsulStore(consul.httpAddress());
        first.onExternalChange(heardByFirst::add);
        second.onExternalChange(heardBySecond::add);
    }

    @AfterEach
    void closeStores() {
        first.close();
        second.close();
    }

    @Test
    void whatOneStoreRegistersTheOtherSeesWithinTheStalenessBoundAndHearsOf() {
        Registration warehouse = new Registration("example.warehouse", "PYRO:obj_1@localhost:51234", Set.of("region:eu"));
        first.put(warehouse);

        within("the second store sees it", () -> second.get("example.warehouse").equals(Optional.of(warehouse)));
        assertThat(second.withAnyMetadata(Set.of("region:eu"))).containsExactly(warehouse);
        within("the second store hears of it", () -> heardBySecond.contains(new ExternalChange("example.warehouse", warehouse)));

        second.remove("example.warehouse");

        within("the first store sees it gone", () -> first.get("example.warehouse").isEmpty());
        within("the first store hears of it", () -> heardByFirst.contains(new ExternalChange("example.warehouse", null)));
    }

    @Test
    void aStoreIsNotToldOfItsOwnWrites() throws Exception {
        first.put(new Registration("own", "PYRO:obj@localhost:1", Set.of("a")));
        first.setMetadata("own", Set.of("b"));
        first.setExpires("own", Instant.now().plusSeconds(3600));
        first.remove("own");
        first.put(new Registration("kept", "PYRO:obj@localhost:2", Set.of()));
        // the second store hears all of that, so Consul's answers have reached the first store too
        within("the second store hears of the last write", () -> heardBySecond.stream().anyMatch(change -> change.name().equals("kept")));
        Thread.sleep(CatalogWatch.MIN_INTERVAL.multipliedBy(3).toMillis());

        assertThat(heardByFirst).isEmpty();
        assertThat(first.get("kept")).isPresent();
    }

    @Test
    void aReplacementByTheOtherStoreWinsInBoth() {
        first.put(new Registration("svc", "PYRO:old@localhost:1", Set.of()));
        within("the second store sees it", () -> second.get("svc").isPresent());

        Registration replacement = new Registration("svc", "PYRO:new@localhost:2", Set.of("new"));
        second.put(replacement);

        within("the first store sees the replacement", () -> first.get("svc").equals(Optional.of(replacement)));
        assertThat(first.count()).isEqualTo(1);
        assertThat(heardByFirst).endsWith(new ExternalChange("svc", replacement));
    }

    @Test
    void aLeaseThatIsNotRenewedEndsInConsulAndBothStoresHearOfIt() {
        Registration leased = new Registration("leased", "PYRO:obj@localhost:1", Set.of(), Instant.now().plusSeconds(2));
        first.put(leased);
        within("the second store sees it", () -> second.get("leased").isPresent());

        // Consul's TTL check goes critical: the instance is hidden, though still registered
        Eventually.within(Duration.ofSeconds(2).plus(BOUND), "both stores see it gone",
                () -> second.get("leased").isEmpty() && first.get("leased").isEmpty());
        assertThat(heardByFirst).contains(new ExternalChange("leased", null));
        assertThat(heardBySecond).contains(new ExternalChange("leased", null));
    }

    @Test
    void aRenewedLeaseStaysVisible() throws Exception {
        Instant start = Instant.now();
        first.put(new Registration("renewed", "PYRO:obj@localhost:1", Set.of(), start.plusSeconds(2)));
        for (int i = 1; i <= 8; i++) {
            Thread.sleep(500);
            first.setExpires("renewed", Instant.now().plusSeconds(2));
        }
        // four seconds on, two past the first lease's end
        Thread.sleep(CatalogWatch.MIN_INTERVAL.multipliedBy(3).toMillis());

        assertThat(second.get("renewed")).isPresent();
        assertThat(heardBySecond).noneMatch(change -> change.name().equals("renewed") && change.current() == null);
    }

    @Test
    void eachRegistrationIsAConsulServiceInstanceWithItsNameUriAndTags() throws Exception {
        first.put(new Registration("Example.Warehouse", "PYRO:obj_1@localhost:51234", Set.of("class:Warehouse", "region:eu"),
                Instant.parse("2030-01-01T00:00:00Z")));
        first.put(new Registration("Example.Warehouse", "PYRO:obj_2@localhost:51235", Set.of("class:Warehouse", "region:eu"),
                Instant.parse("2030-01-01T00:00:00Z")));

        String services = consul.agent().get("/v1/agent/services?pretty");
        assertThat(services)
                .as("one instance: the replaced one is gone").containsOnlyOnce("\"Service\": \"pyro--45-xample---57-arehouse\"")
                .contains("\"pyro-name\": \"Example.Warehouse\"", "\"pyro-uri\": \"PYRO:obj_2@localhost:51235\"",
                        "\"pyro-expires\": \"2030-01-01T00:00:00Z\"", "\"class:Warehouse\"", "\"region:eu\"",
                        "\"Address\": \"localhost\"", "\"Port\": 51235")
                .containsPattern("\"ID\": \"pyro-[0-9a-f-]{36}\"");
        String checks = consul.agent().get("/v1/agent/checks?pretty");
        assertThat(checks).contains("\"Status\": \"passing\"", "\"Type\": \"ttl\"", "\"ServiceName\": \"pyro--45-xample---57-arehouse\"");
    }

    private static void within(String what, java.util.function.BooleanSupplier condition) {
        Eventually.within(BOUND, what, condition);
    }
}
