package io.pyromesh.nameserver.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where a name server keeps its registrations. The name server holds its own lock around every call,
 * so a store needs no more thread safety than that, but every method must be safe to call from any
 * thread. Implementations ship as {@code memory} ({@link MemoryStore}, the default), {@code sql:FILE}
 * ({@link SqlStore}, SQLite) and {@code consul:http://HOST:PORT}
 * ({@link io.pyromesh.nameserver.consul.ConsulStore}); all pass the same contract test suite.
 *
 * <p>Lists are sorted by name in {@link NameOrder} (code points, as Python sorts). Prefix listing and
 * metadata search must use an index, not a scan of every registration: a name server may hold a million
 * entries. A metadata search with no tags matches nothing, as Pyro's {@code yplookup} answers {@code {}}.
 * Failures of the storage itself (I/O, a database error) surface as {@link StoreException}; a remote
 * backend that cannot be reached, as {@link StoreUnavailableError}.
 */
public interface Store extends AutoCloseable {
    /** Adds a registration, replacing any with the same name. */
    void put(Registration registration);

    /** Adds a registration unless the name is taken; true if it was added. */
    boolean putIfAbsent(Registration registration);

    Optional<Registration> get(String name);

    /** Removes one registration; true if it existed. */
    boolean remove(String name);

    /** Removes the named registrations; returns how many existed. */
    int removeAll(Collection<String> names);

    /** Registrations whose name starts with {@code prefix} ("" for all), sorted by name. */
    List<Registration> withPrefix(String prefix);

    /** Registrations holding every one of {@code tags} (non-empty), sorted by name. */
    List<Registration> withAllMetadata(Set<String> tags);

    /** Registrations holding at least one of {@code tags} (non-empty), sorted by name. */
    List<Registration> withAnyMetadata(Set<String> tags);

    /** Replaces a registration's metadata; false if the name is not registered. */
    boolean setMetadata(String name, Set<String> metadata);

    /** Sets or clears (null) a registration's lease expiry; false if the name is not registered. */
    boolean setExpires(String name, Instant expires);

    /** Registrations whose lease ended at or before {@code now}. */
    List<Registration> expiredAt(Instant now);

    int count();

    /**
     * A change made to the store by someone else: another name server sharing the same backend, or the
     * backend itself (a Consul TTL check that went critical).
     *
     * @param name the registration's name
     * @param current the registration as it is now, or null if it was removed
     */
    record ExternalChange(String name, Registration current) {}

    /**
     * Asks to be told of {@linkplain ExternalChange external changes}, so that the name server's
     * {@code Watch} sees them as it sees its own writes. Changes made through this store's own methods
     * are not reported. A store that only this process writes (memory, SQLite) never calls the
     * listener, which is the default.
     */
    default void onExternalChange(Consumer<ExternalChange> listener) {}

    /**
     * Whether the backend answers now. A store over a remote backend (Consul) says false while it cannot
     * reach it, and the name server's gRPC health turns NOT_SERVING meanwhile; local stores are always
     * available, which is the default.
     */
    default boolean available() {
        return true;
    }

    /**
     * Whether several threads may call {@link #get} at once while nobody writes. The name server then
     * looks names up under a shared lock, so that lookups do not queue behind one another; a store whose
     * reads share state (a database connection) says false, which is the default.
     */
    default boolean concurrentReads() {
        return false;
    }

    /** Releases the store's resources; it is not used afterwards. */
    @Override
    void close();
}
