package io.pyromesh.nameserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.testing.Processes;
import io.pyromesh.testing.TestDependencies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlStoreTest extends PersistentStoreContract {
    private static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path directory;

    private Path file() {
        return directory.resolve("names.sqlite");
    }

    @Override
    protected Store newStore() {
        return new SqlStore(file());
    }

    @Override
    protected Store reopen(Store closing) {
        closing.close();
        return new SqlStore(file());
    }

    @Test
    void opensTheDatabaseOfARealPyro5NameServer() throws Exception {
        Path pyroFile = directory.resolve("pyro5.sqlite");
        pyro5("register", pyroFile);

        try (Store pyro = new SqlStore(pyroFile)) {
            assertThat(pyro.withPrefix("")).containsExactly(
                    new Registration("Pyro.NameServer", "PYRO:Pyro.NameServer@localhost:9090",
                            Set.of("class:Pyro5.nameserver.NameServer")),
                    new Registration("example.warehouse", "PYRO:obj_8d2c@localhost:51234",
                            Set.of("class:example.Warehouse", "region:\u00fcber")),
                    new Registration("example.\uD83D\uDE00", "PYRO:obj_f00d@localhost:51234", Set.of()));
            assertThat(names(pyro.withAllMetadata(Set.of("region:\u00fcber")))).containsExactly("example.warehouse");
            // Pyro5's file had no lease column: opening it added one
            assertThat(pyro.setExpires("example.warehouse", LEASE)).isTrue();
            assertThat(names(pyro.expiredAt(LEASE))).containsExactly("example.warehouse");
        }
    }

    @Test
    void aRealPyro5NameServerReadsWhatThisStoreWrote() throws Exception {
        store.put(new Registration("Pyro.NameServer", "PYRO:Pyro.NameServer@localhost:9090",
                Set.of("class:Pyro5.nameserver.NameServer")));
        store.put(new Registration("example.leased", "PYRO:obj_1@localhost:51234", Set.of("b", "a"), LEASE));
        store.put(registration("example.\uD83D\uDE00"));

        assertThat(pyro5("list", file())).containsExactly(
                "Pyro.NameServer\tPYRO:Pyro.NameServer@localhost:9090\tclass:Pyro5.nameserver.NameServer",
                "example.leased\tPYRO:obj_1@localhost:51234\ta\tb",
                "example.\uD83D\uDE00\tPYRO:obj@localhost:9090");
    }

    @Test
    void prefixListingSearchesTheNameIndexInOrder() throws Exception {
        assertThat(plan(SqlStore.WITH_PREFIX))
                .contains("SEARCH n USING INDEX sqlite_autoindex_pyro_names_1 (name>? AND name<?)")
                .noneMatch(step -> step.contains("TEMP B-TREE"));
    }

    @Test
    void metadataSearchSearchesTheMetadataIndex() throws Exception {
        for (String query : List.of(SqlStore.WITH_ALL_METADATA, SqlStore.WITH_ANY_METADATA)) {
            assertThat(plan(query)).as(query)
                    .contains("SEARCH pyro_metadata USING COVERING INDEX pyro_metadata_by_tag (metadata=?)");
        }
    }

    @Test
    void leasesAreFoundThroughTheExpiryIndex() throws Exception {
        assertThat(plan(SqlStore.EXPIRED_AT)).contains("SEARCH n USING INDEX pyro_names_by_expiry (expires<?)");
    }

    @Test
    void noQueryScansATable() throws Exception {
        for (String query : List.of(SqlStore.GET, SqlStore.WITH_PREFIX, SqlStore.WITH_ALL_METADATA,
                SqlStore.WITH_ANY_METADATA, SqlStore.EXPIRED_AT)) {
            // json_each, the list of tags asked for, is the only thing a query may walk through
            assertThat(plan(query)).as(query).noneMatch(step -> step.startsWith("SCAN") && !step.contains("json_each"));
        }
    }

    @Test
    void theDatabaseIsInWriteAheadLogMode() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                ResultSet mode = connection.createStatement().executeQuery("PRAGMA journal_mode")) {
            mode.next();
            assertThat(mode.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void aFileThatIsNotASqliteDatabaseIsRefusedAndLeftAlone() throws Exception {
        Path notes = directory.resolve("notes.txt");
        String text = "these are notes, not a database\n".repeat(200);
        Files.writeString(notes, text);

        assertThatThrownBy(() -> new SqlStore(notes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot use " + notes + " as sql storage: ")
                .hasMessageContaining("not a database");
        assertThat(Files.readString(notes)).isEqualTo(text);
    }

    @Test
    void aDirectoryIsRefused() {
        assertThatThrownBy(() -> new SqlStore(directory))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot use " + directory + " as sql storage: ");
    }

    @Test
    void aFileInAMissingDirectoryIsRefused() {
        Path missing = directory.resolve("no-such-directory").resolve("names.sqlite");

        assertThatThrownBy(() -> new SqlStore(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot use " + missing + " as sql storage: ");
    }

    /** Runs real Pyro5's name server on its SqlStorage over {@code file}; failing to fetch or run it fails the test. */
    private static List<String> pyro5(String command, Path file) throws Exception {
        Path work = file.getParent();
        String pyro5Path = TestDependencies.pyro5().toString();
        Path script = Path.of(SqlStoreTest.class.getResource("/python/pyro5_sql_storage.py").toURI());
        return Processes.run(List.of(PYTHON, script.toString(), pyro5Path, command, file.toString()), work);
    }

    /** SQLite's plan for a store query: one line per step, e.g. "SEARCH n USING INDEX ...". */
    private List<String> plan(String query) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file());
                PreparedStatement explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + query)) {
            for (int i = 1; i <= explain.getParameterMetaData().getParameterCount(); i++) {
                explain.setString(i, "[]");
            }
            List<String> steps = new ArrayList<>();
            try (ResultSet rows = explain.executeQuery()) {
                while (rows.next()) {
                    steps.add(rows.getString("detail"));
                }
            }
            return steps;
        }
    }
}
