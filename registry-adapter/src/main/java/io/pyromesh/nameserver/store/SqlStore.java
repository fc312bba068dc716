package io.pyromesh.nameserver.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * The persistent store ({@code sql:FILE}): a SQLite database in Pyro5's schema ({@link SqlSchema}), so a
 * file written by a Pyro5 name server opens here with its registrations, and the other way round.
 *
 * <p>One connection, in WAL mode with {@code synchronous=NORMAL}: the file stays consistent after any crash,
 * and only a power or OS failure may lose the latest commits, for far fewer syncs than Pyro5's default.
 * Every method is synchronized on the store and runs as one transaction. Statements are prepared once and
 * reused. Every query uses an index: names by their UNIQUE index (a prefix is a range of it), tags by the
 * metadata indexes, leases by the expiry index. Lease ends are kept to the microsecond. Database errors
 * after opening surface as {@link StoreException}.
 */
public final class SqlStore implements Store {
    /** Registration rows, one per tag (or one with a NULL tag), for the folding in {@link #registrations}. */
    private static final String SELECT = "SELECT n.name, n.uri, n.expires, m.metadata FROM pyro_names n"
            + " LEFT JOIN pyro_metadata m ON m.object = n.id ";
    static final String GET = SELECT + "WHERE n.name = ?";
    /**
     * The names starting with a prefix form the range [prefix, prefix + 0xFF byte): SQLite compares
     * text as UTF-8 bytes, and 0xFF never occurs in UTF-8, so nothing sorts between the two ends except
     * names with the prefix. (LIKE would ignore case and treat % and _ as wildcards.)
     */
    static final String WITH_PREFIX = SELECT + "WHERE n.name >= ? AND n.name < ? || CAST(x'FF' AS TEXT)"
            + " ORDER BY n.name";
    /** The tags arrive as one JSON array, so that one statement serves any number of them. */
    static final String WITH_ALL_METADATA = SELECT + "WHERE n.id IN (SELECT object FROM pyro_metadata"
            + " WHERE metadata IN (SELECT value FROM json_each(?))"
            + " GROUP BY object HAVING count(DISTINCT metadata) = ?) ORDER BY n.name";
    static final String WITH_ANY_METADATA = SELECT + "WHERE n.id IN (SELECT object FROM pyro_metadata"
            + " WHERE metadata IN (SELECT value FROM json_each(?))) ORDER BY n.name";
    /**
     * The unary + stops the planner from walking the whole name index just to skip sorting, which it
     * prefers when it knows nothing about the data; few leases end at once, so the expiry index wins.
     */
    static final String EXPIRED_AT = SELECT + "WHERE n.expires <= ? ORDER BY +n.name";
    private static final String COUNT = "SELECT count(*) FROM pyro_names";
    private static final String ID_OF = "SELECT id FROM pyro_names WHERE name = ?";
    private static final String UPSERT = "INSERT INTO pyro_names(name, uri, expires) VALUES (?, ?, ?)"
            + " ON CONFLICT(name) DO UPDATE SET uri = excluded.uri, expires = excluded.expires RETURNING id";
    private static final String INSERT_NEW = "INSERT INTO pyro_names(name, uri, expires) VALUES (?, ?, ?)"
            + " ON CONFLICT(name) DO NOTHING RETURNING id";
    private static final String DELETE_TAGS = "DELETE FROM pyro_metadata WHERE object = ?";
    private static final String INSERT_TAG = "INSERT INTO pyro_metadata(object, metadata) VALUES (?, ?)";
    private static final String DELETE_NAME = "DELETE FROM pyro_names WHERE id = ?";
    private static final String SET_EXPIRES = "UPDATE pyro_names SET expires = ? WHERE name = ?";

    private final Path file;
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    /**
     * Opens the database in {@code file}, creating it (not its directory) if missing and adding what
     * Pyromesh needs to a file Pyro5 created.
     *
     * @throws IllegalArgumentException naming the file, if it cannot be opened or is not a SQLite database
     */
    public SqlStore(Path file) {
        this.file = file.toAbsolutePath();
        this.connection = open(this.file);
    }

    private static Connection open(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        Connection connection = null;
        try {
            // an absolute path, so that a file named ":memory:" is a file, not SQLite's in-memory database
            connection = config.createConnection("jdbc:sqlite:" + file);
            connection.setAutoCommit(false);
            SqlSchema.upgrade(connection);
            connection.commit();
            return connection;
        } catch (SQLException e) {
            closeAfterFailure(connection);
            throw new IllegalArgumentException("cannot use " + file + " as sql storage: " + e.getMessage(), e);
        }
    }

    private static void closeAfterFailure(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the failure that got us here is the one to report
            }
        }
    }

    @Override
    public synchronized void put(Registration registration) {
        transaction("put", () -> {
            long id = insert(UPSERT, registration).orElseThrow();
            execute(DELETE_TAGS, id);
            insertTags(id, registration.metadata());
            return null;
        });
    }

    @Override
    public synchronized boolean putIfAbsent(Registration registration) {
        return transaction("putIfAbsent", () -> {
            Optional<Long> id = insert(INSERT_NEW, registration);
            if (id.isPresent()) {
                insertTags(id.get(), registration.metadata());
            }
            return id.isPresent();
        });
    }

    @Override
    public synchronized Optional<Registration> get(String name) {
        return transaction("get", () -> registrations(GET, name).stream().findFirst());
    }

    @Override
    public synchronized boolean remove(String name) {
        return transaction("remove", () -> delete(name));
    }

    @Override
    public synchronized int removeAll(Collection<String> names) {
        return transaction("removeAll", () -> {
            int removed = 0;
            for (String name : names) {
                if (delete(name)) {
                    removed++;
                }
            }
            return removed;
        });
    }

    @Override
    public synchronized List<Registration> withPrefix(String prefix) {
        return transaction("withPrefix", () -> registrations(WITH_PREFIX, prefix, prefix));
    }

    @Override
    public synchronized List<Registration> withAllMetadata(Set<String> tags) {
        return transaction("withAllMetadata", () -> registrations(WITH_ALL_METADATA, jsonArray(tags), tags.size()));
    }

    @Override
    public synchronized List<Registration> withAnyMetadata(Set<String> tags) {
        return transaction("withAnyMetadata", () -> registrations(WITH_ANY_METADATA, jsonArray(tags)));
    }

    @Override
    public synchronized boolean setMetadata(String name, Set<String> metadata) {
        return transaction("setMetadata", () -> {
            Optional<Long> id = idOf(name);
            if (id.isPresent()) {
                execute(DELETE_TAGS, id.get());
                insertTags(id.get(), metadata);
            }
            return id.isPresent();
        });
    }

    @Override
    public synchronized boolean setExpires(String name, Instant expires) {
        return transaction("setExpires", () -> execute(SET_EXPIRES, seconds(expires), name) > 0);
    }

    @Override
    public synchronized List<Registration> expiredAt(Instant now) {
        return transaction("expiredAt", () -> registrations(EXPIRED_AT, seconds(now)));
    }

    @Override
    public synchronized int count() {
        return transaction("count", () -> {
            try (ResultSet row = bind(COUNT).executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        });
    }

    @Override
    public synchronized void close() {
        try {
            for (PreparedStatement statement : statements.values()) {
                statement.close();
            }
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }

    private interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} as one transaction: committed if it returns, rolled back if it throws. */
    private <T> T transaction(String operation, Work<T> work) {
        try {
            try {
                T result = work.run();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failure(operation, e);
        }
    }

    private StoreException failure(String operation, SQLException e) {
        return new StoreException("sqlite error in " + operation + " on " + file + ": " + e.getMessage(), e);
    }

    /** Inserts the name row by {@code sql} (an INSERT ... RETURNING id); empty if it inserted nothing. */
    private Optional<Long> insert(String sql, Registration registration) throws SQLException {
        try (ResultSet row = bind(sql, registration.name(), registration.uri(), seconds(registration.expires()))
                .executeQuery()) {
            return row.next() ? Optional.of(row.getLong(1)) : Optional.empty();
        }
    }

    private void insertTags(long id, Set<String> tags) throws SQLException {
        PreparedStatement insert = bind(INSERT_TAG, id);
        for (String tag : tags) {
            insert.setString(2, tag);
            insert.addBatch();
        }
        insert.executeBatch();
    }

    private boolean delete(String name) throws SQLException {
        Optional<Long> id = idOf(name);
        if (id.isPresent()) {
            // tags first: Pyro5's foreign key has no ON DELETE CASCADE
            execute(DELETE_TAGS, id.get());
            execute(DELETE_NAME, id.get());
        }
        return id.isPresent();
    }

    private Optional<Long> idOf(String name) throws SQLException {
        try (ResultSet row = bind(ID_OF, name).executeQuery()) {
            return row.next() ? Optional.of(row.getLong(1)) : Optional.empty();
        }
    }

    private int execute(String sql, Object... parameters) throws SQLException {
        return bind(sql, parameters).executeUpdate();
    }

    /** Runs a {@link #SELECT} query and folds its rows, one per tag, into registrations. */
    private List<Registration> registrations(String sql, Object... parameters) throws SQLException {
        List<Registration> result = new ArrayList<>();
        try (ResultSet rows = bind(sql, parameters).executeQuery()) {
            boolean more = rows.next();
            while (more) {
                String name = rows.getString(1);
                String uri = rows.getString(2);
                Instant expires = instant(rows.getObject(3));
                Set<String> tags = new HashSet<>();
                do {
                    String tag = rows.getString(4);
                    if (tag != null) {
                        tags.add(tag);
                    }
                    more = rows.next();
                } while (more && name.equals(rows.getString(1)));
                result.add(new Registration(name, uri, tags, expires));
            }
        }
        return result;
    }

    /** The cached statement for {@code sql}, its parameters set; all SQL is constant, so the cache is bounded. */
    private PreparedStatement bind(String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == null) {
                statement.setNull(i + 1, Types.REAL);
            } else {
                statement.setObject(i + 1, parameters[i]);
            }
        }
        return statement;
    }

    private static Double seconds(Instant instant) {
        return instant == null ? null : instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    private static Instant instant(Object seconds) {
        // a double holds today's epoch seconds to a fraction of a microsecond, so rounding recovers them
        return seconds == null ? null
                : Instant.EPOCH.plus(Math.round(((Number) seconds).doubleValue() * 1e6), ChronoUnit.MICROS);
    }

    /** The tags as a JSON array of strings, for json_each. */
    private static String jsonArray(Set<String> tags) {
        StringBuilder json = new StringBuilder("[");
        for (String tag : tags) {
            json.append(json.length() == 1 ? "\"" : ",\"");
            for (int i = 0; i < tag.length(); i++) {
                char c = tag.charAt(i);
                if (c == '"' || c == '\\') {
                    json.append('\\').append(c);
                } else if (c < 0x20) {
                    json.append(String.format("\\u%04x", (int) c));
                } else {
                    json.append(c);
                }
            }
            json.append('"');
        }
        return json.append(']').toString();
    }
}
