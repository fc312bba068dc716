package io.pyromesh.nameserver.store;

import io.pyromesh.nameserver.consul.ConsulStore;
import java.nio.file.Path;

/** Opens the store that a name server's {@code -s/--storage} option names, as Pyro5's {@code pyro5-ns} does. */
public final class Stores {
    private static final String SQL = "sql:";
    private static final String CONSUL = "consul:";

    private Stores() {}

    /**
     * Opens {@code memory} (a {@link MemoryStore}), {@code sql:FILE} (a {@link SqlStore}) or
     * {@code consul:http://HOST:PORT} (a {@link ConsulStore} over the Consul agent there).
     *
     * @throws IllegalArgumentException {@code invalid storage type '<spec>'} (Pyro's ValueError) for any other
     *     spec, naming the file when a {@code sql:} file cannot be opened, or the address when it is not one
     * @throws StoreUnavailableError when Consul cannot be reached
     */
    public static Store open(String spec) {
        if (spec.equals("memory")) {
            return new MemoryStore();
        }
        if (spec.startsWith(SQL) && spec.length() > SQL.length()) {
            String file = spec.substring(SQL.length());
            // Pyro refuses SQLite's in-memory database too: the memory store is the volatile one
            if (file.equals(":memory:")) {
                throw new IllegalArgumentException(invalid(spec) + ": sql storage needs a file");
            }
            return new SqlStore(Path.of(file));
        }
        if (spec.startsWith(CONSUL) && spec.length() > CONSUL.length()) {
            return new ConsulStore(spec.substring(CONSUL.length()));
        }
        throw new IllegalArgumentException(invalid(spec));
    }

    private static String invalid(String spec) {
        return "invalid storage type '" + spec + "'";
    }
}
