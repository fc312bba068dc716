package io.pyromesh.nameserver.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The tables of {@link SqlStore}: Pyro5's own, so that Pyro5 and Pyromesh open each other's files, plus
 * additions Pyro5 does not notice (it names the columns it reads and writes).
 *
 * <ul>
 *   <li>{@code pyro_names(id, name UNIQUE, uri)}, Pyro5's DDL verbatim; the UNIQUE constraint's index
 *       serves lookups and prefix ranges by name;
 *   <li>{@code pyro_metadata(object, metadata)}, one row per tag, Pyro5's DDL verbatim;
 *   <li>added: {@code pyro_names.expires}, the lease end in epoch seconds (REAL, like Python's
 *       {@code time.time()}), NULL without a lease; Pyro5 leaves it NULL when it writes;
 *   <li>added: indexes on {@code pyro_metadata} by tag and by object, each covering both columns so that
 *       metadata search and fetching a registration's tags never read the table, and a partial index on
 *       {@code expires} holding only leased registrations.
 * </ul>
 */
final class SqlSchema {
    private static final String NAMES = "CREATE TABLE IF NOT EXISTS pyro_names"
            + " (id integer PRIMARY KEY, name nvarchar NOT NULL UNIQUE, uri nvarchar NOT NULL)";
    private static final String METADATA = "CREATE TABLE IF NOT EXISTS pyro_metadata"
            + " (object integer NOT NULL, metadata nvarchar NOT NULL, FOREIGN KEY(object) REFERENCES pyro_names(id))";
    private static final List<String> INDEXES = List.of(
            "CREATE INDEX IF NOT EXISTS pyro_metadata_by_tag ON pyro_metadata(metadata, object)",
            "CREATE INDEX IF NOT EXISTS pyro_metadata_by_object ON pyro_metadata(object, metadata)",
            "CREATE INDEX IF NOT EXISTS pyro_names_by_expiry ON pyro_names(expires) WHERE expires IS NOT NULL");

    private SqlSchema() {}

    /** Creates what is missing: everything in a new file, the additions in a file Pyro5 created. */
    static void upgrade(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(NAMES);
            statement.execute(METADATA);
            if (!hasExpiresColumn(statement)) {
                statement.execute("ALTER TABLE pyro_names ADD COLUMN expires REAL");
            }
            for (String index : INDEXES) {
                statement.execute(index);
            }
        }
    }

    private static boolean hasExpiresColumn(Statement statement) throws SQLException {
        try (ResultSet columns = statement.executeQuery("PRAGMA table_info(pyro_names)")) {
            while (columns.next()) {
                if (columns.getString("name").equals("expires")) {
                    return true;
                }
            }
            return false;
        }
    }
}
