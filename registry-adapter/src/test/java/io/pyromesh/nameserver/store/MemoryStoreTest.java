package io.pyromesh.nameserver.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MemoryStoreTest extends StoreContract {
    @Override
    protected Store newStore() {
        return new MemoryStore();
    }

    @Test
    void registrationsWithEqualTagsShareOneMetadataSet() {
        store.put(registration("a", "class:example.Warehouse", "region:eu"));
        store.put(registration("b", "class:example.Warehouse", "region:eu"));

        Set<String> a = store.get("a").orElseThrow().metadata();
        Set<String> b = store.get("b").orElseThrow().metadata();
        assertThat(a).isSameAs(b);
    }
}
