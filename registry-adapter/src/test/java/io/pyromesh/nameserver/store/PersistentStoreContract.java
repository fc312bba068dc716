package io.pyromesh.nameserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link StoreContract} plus what a store that keeps its registrations across close and reopen does. */
public abstract class PersistentStoreContract extends StoreContract {
    /** Closes {@code closing} and opens the same storage again. */
    protected abstract Store reopen(Store closing);

    @Test
    void registrationsSurviveReopening() {
        Registration leased = new Registration("svc.leased", "PYRO:a@localhost:1", Set.of("x", "y"), LEASE);
        Registration plain = new Registration("svc.plain", "PYRO:b@localhost:2", Set.of("y"));
        Registration unicode = new Registration("svc.\uD83D\uDE00", "PYRO:c@localhost:3", Set.of("\u00fc"));
        store.put(leased);
        store.put(plain);
        store.put(unicode);

        store = reopen(store);

        assertThat(store.count()).isEqualTo(3);
        assertThat(store.withPrefix("svc.")).containsExactly(leased, plain, unicode);
        assertThat(store.withAllMetadata(Set.of("x", "y"))).containsExactly(leased);
        assertThat(store.withAnyMetadata(Set.of("\u00fc"))).containsExactly(unicode);
        assertThat(store.expiredAt(LEASE)).containsExactly(leased);
    }

    @Test
    void changesSurviveReopening() {
        putNames("removed", "retagged", "unleased", "replaced");
        store.setExpires("unleased", LEASE);
        store = reopen(store);

        store.remove("removed");
        store.setMetadata("retagged", Set.of("new"));
        store.setExpires("unleased", null);
        store.put(registration("replaced", "other"));
        store = reopen(store);

        assertThat(names(store.withPrefix(""))).containsExactly("replaced", "retagged", "unleased");
        assertThat(names(store.withAnyMetadata(Set.of("new", "other")))).containsExactly("replaced", "retagged");
        assertThat(store.expiredAt(LEASE)).isEmpty();
    }
}
