package io.pyromesh.nameserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoresTest {
    @Test
    void memoryIsTheVolatileStore() {
        try (Store store = Stores.open("memory")) {
            assertThat(store).isInstanceOf(MemoryStore.class);
        }
    }

    @Test
    void sqlOpensASqliteFile(@TempDir Path directory) {
        Path file = directory.resolve("names.sqlite");

        try (Store store = Stores.open("sql:" + file)) {
            assertThat(store).isInstanceOf(SqlStore.class);
        }
        assertThat(file).isRegularFile();
    }

    @Test
    void sqlitesInMemoryDatabaseIsRefused() {
        assertThatThrownBy(() -> Stores.open("sql::memory:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid storage type 'sql::memory:': sql storage needs a file");
        assertThat(Files.exists(Path.of(":memory:"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sql:", "dbm:names.db", "Memory", "memory:"})
    void anyOtherStorageTypeIsInvalidAsInPyro(String spec) {
        assertThatThrownBy(() -> Stores.open(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid storage type '" + spec + "'");
    }
}
