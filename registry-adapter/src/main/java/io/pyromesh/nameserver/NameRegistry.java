package io.pyromesh.nameserver;

import io.pyromesh.errors.NamingError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.TypeError;
import io.pyromesh.nameserver.ChangeLog.Cause;
import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.nameserver.store.Store;
import io.pyromesh.nameserver.store.StoreException;
import io.pyromesh.uri.PyroURI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The name server's rules (PYRO-SEMANTICS §4.1) over a {@link Store}: what may be registered, looked
 * up, listed and removed, with Pyro's error messages, plus Pyromesh's leases. One lock serializes every
 * operation on the store, as Pyro's does, except that lookups share it on a store that can be read
 * concurrently (the memory store); a regular expression is matched outside it, so that a slow one holds
 * up nobody else. Every change is recorded in a {@link ChangeLog} under the same lock, so a
 * snapshot and its revision agree. The clock is a parameter so that lease expiry can be tested.
 */
public final class NameRegistry implements AutoCloseable {
    public static final int MAX_NAME_LENGTH = 1024;
    public static final int MAX_TAG_LENGTH = 512;
    public static final int MAX_TAGS = 64;
    /** Regex searches running at once; each may take a worker for {@link TimedRegex#BUDGET_NANOS}. */
    static final int MAX_REGEX_SEARCHES = 4;

    /** What a watcher starts from: the registrations as of a revision. */
    record Snapshot(List<Registration> registrations, long revision) {}

    private final Store store;
    private final Clock clock;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ChangeLog changes;
    private final Semaphore regexSearches = new Semaphore(MAX_REGEX_SEARCHES);

    public NameRegistry(Store store, Clock clock) {
        this(store, clock, ChangeLog.DEFAULT_CAPACITY);
    }

    /** @param changeLogCapacity how many recent changes a resuming watcher can catch up on */
    public NameRegistry(Store store, Clock clock, int changeLogCapacity) {
        this.store = store;
        this.clock = clock;
        this.changes = new ChangeLog(changeLogCapacity);
        store.onExternalChange(change -> {
            if (change.current() == null) {
                changes.removed(change.name(), Cause.EXTERNAL);
            } else {
                changes.put(change.current(), Cause.EXTERNAL);
            }
        });
    }

    /**
     * Registers {@code name} for {@code uri}, replacing an existing entry unless {@code safe}.
     * {@code Pyro.NameServer} is refused: only the name server registers itself.
     *
     * @param lease how long the entry lives unless renewed, or null for no lease
     */
    public void register(String name, String uri, boolean safe, Collection<String> metadata, Duration lease) {
        checkRegistrable(name);
        put(name, canonicalUri(uri), safe, metadata, lease);
    }

    /** As {@link #register(String, String, boolean, Collection, Duration)}, for a URI already parsed. */
    public void register(String name, PyroURI uri, boolean safe, Collection<String> metadata, Duration lease) {
        checkRegistrable(name);
        put(name, uri.toString(), safe, metadata, lease);
    }

    /** The name server's own entry, the one registration of {@code Pyro.NameServer}. */
    void registerSelf(PyroURI uri, Set<String> metadata) {
        put(PyroURI.NAMESERVER_NAME, uri.toString(), false, metadata, null);
    }

    private void put(String name, String canonicalUri, boolean safe, Collection<String> metadata, Duration lease) {
        Set<String> tags = checkedTags(metadata);
        if (lease != null) {
            checkLease(lease);
        }
        Registration registration = new Registration(name, canonicalUri, tags, lease == null ? null : clock.instant().plus(lease));
        locked(() -> {
            live(name);
            if (safe) {
                if (!store.putIfAbsent(registration)) {
                    throw new Refusal(Refusal.Kind.NAME_TAKEN, "name already registered: " + PyroError.excerpt(name));
                }
            } else {
                store.put(registration);
            }
            changes.put(registration, Cause.CLIENT);
            return null;
        });
    }

    /**
     * The entry registered under {@code name}; a NamingError "unknown name" if there is none or its lease
     * has ended. A lookup only reads (under the shared lock where the store allows it): ending leases is
     * the sweep's ({@link #expireLeases}), which on a shared store ends only this name server's own.
     */
    public Registration lookup(String name) {
        checkName(name);
        Supplier<Registration> read = () -> store.get(name).orElse(null);
        Registration found = store.concurrentReads() ? under(lock.readLock(), read) : locked(read);
        if (found == null || expired(found)) {
            throw unknownName(name);
        }
        return found;
    }

    /** Removes one name; the name server's own entry stays. Returns 1 or 0. */
    public int remove(String name) {
        checkName(name);
        if (name.equals(PyroURI.NAMESERVER_NAME)) {
            return 0;
        }
        return locked(() -> {
            if (!store.remove(name)) {
                return 0;
            }
            changes.removed(name, Cause.CLIENT);
            return 1;
        });
    }

    /**
     * Removes every name starting with {@code prefix}, except the name server's own. An empty prefix
     * removes nothing: it is no filter (as in Pyro), and must not be a way to wipe the registry.
     */
    public int removePrefix(String prefix) {
        if (prefix.isEmpty()) {
            return 0;
        }
        return locked(() -> removeNames(store.withPrefix(prefix).stream().map(Registration::name).toList(), Cause.CLIENT));
    }

    /**
     * Removes every name that {@code regex} matches at its start, except the name server's own. An empty
     * regex removes nothing, as an empty prefix. The matching runs outside the lock.
     */
    public int removeRegex(String regex) {
        if (regex.isEmpty()) {
            return 0;
        }
        List<String> matched = matching(TimedRegex.compile(regex)).stream().map(Registration::name).toList();
        return locked(() -> removeNames(stillPresent(matched), Cause.CLIENT));
    }

    /** All entries, or those whose name starts with {@code prefix} or matches {@code regex}; sorted by name. */
    public List<Registration> list(String prefix, String regex) {
        if (prefix != null && regex != null) {
            throw new TypeError("you can only filter on one thing at a time");
        }
        if (regex != null) {
            return matching(TimedRegex.compile(regex));
        }
        return locked(() -> live(store.withPrefix(prefix == null ? "" : prefix)));
    }

    /** Entries holding every tag of {@code all}, or any tag of {@code any}; neither gives none. */
    public List<Registration> yplookup(Collection<String> all, Collection<String> any) {
        if (all != null && any != null) {
            throw new TypeError("you can only filter on one thing at a time");
        }
        Set<String> tags = checkedTags(all != null ? all : any);
        if (tags.isEmpty()) {
            return List.of();
        }
        return locked(() -> live(all != null ? store.withAllMetadata(tags) : store.withAnyMetadata(tags)));
    }

    /** Replaces an entry's metadata; null or empty clears it. */
    public void setMetadata(String name, Collection<String> metadata) {
        checkName(name);
        Set<String> tags = checkedTags(metadata);
        locked(() -> {
            Registration found = live(name);
            if (found == null || !store.setMetadata(name, tags)) {
                throw unknownName(name);
            }
            changes.put(found.withMetadata(tags), Cause.CLIENT);
            return null;
        });
    }

    /**
     * Extends a leased entry to {@code lease} from now; {@link UnknownName} if it has gone. An entry
     * registered without a lease keeps living without one: renewing it is refused, since giving it a lease
     * would let anyone make it expire. Renewals are not changes a watch reports.
     */
    public void renewLease(String name, Duration lease) {
        checkName(name);
        checkLease(lease);
        locked(() -> {
            Registration found = live(name);
            if (found == null) {
                throw unknownName(name);
            }
            if (found.expires() == null) {
                throw new NamingError("the registration " + PyroError.excerpt(name) + " has no lease to renew");
            }
            store.setExpires(name, clock.instant().plus(lease));
            return null;
        });
    }

    /** How long a leased entry has left (zero if none or over); null if it has no lease. */
    public Duration leaseRemaining(Registration registration) {
        if (registration.expires() == null) {
            return null;
        }
        Duration left = Duration.between(clock.instant(), registration.expires());
        return left.isNegative() ? Duration.ZERO : left;
    }

    public int count() {
        return locked(() -> {
            expireLeases();
            return store.count();
        });
    }

    /** Removes every entry whose lease has ended; returns how many. The name server calls this every second. */
    public int expireLeases() {
        return locked(() -> removeNames(store.expiredAt(clock.instant()).stream().map(Registration::name).toList(),
                Cause.LEASE_EXPIRED));
    }

    /** Removes the named entries (autoclean), except the name server's own; returns how many. */
    int removeUnreachable(Collection<String> names) {
        return locked(() -> removeNames(stillPresent(names), Cause.AUTOCLEAN));
    }

    /** The registrations whose name starts with {@code prefix}, and the revision they are as of. */
    Snapshot snapshot(String prefix) {
        return locked(() -> new Snapshot(live(store.withPrefix(prefix)), changes.revision()));
    }

    ChangeLog changes() {
        return changes;
    }

    /** The store underneath (for tests and tools; going around the registry skips its rules). */
    public Store store() {
        return store;
    }

    @Override
    public void close() {
        locked(() -> {
            store.close();
            return null;
        });
    }

    /** The live entry under {@code name}, or null; an expired one is removed on the way (by writes, which replace it). */
    private Registration live(String name) {
        Registration found = store.get(name).orElse(null);
        if (found != null && expired(found)) {
            store.remove(name);
            changes.removed(name, Cause.LEASE_EXPIRED);
            return null;
        }
        return found;
    }

    private boolean expired(Registration registration) {
        return registration.expires() != null && !registration.expires().isAfter(clock.instant());
    }

    /** Entries whose lease ended but which the once-a-second sweep has not removed yet are already gone. */
    private List<Registration> live(List<Registration> registrations) {
        Instant now = clock.instant();
        return registrations.stream().filter(r -> r.expires() == null || r.expires().isAfter(now)).toList();
    }

    /** The live entries {@code pattern} matches, matched outside the lock, a few searches at a time. */
    private List<Registration> matching(TimedRegex pattern) {
        if (!regexSearches.tryAcquire()) {
            throw new Refusal(Refusal.Kind.TOO_BUSY, "too many regex searches at once (at most " + MAX_REGEX_SEARCHES + "); try again");
        }
        try {
            return pattern.matching(locked(() -> live(store.withPrefix(""))), Registration::name);
        } finally {
            regexSearches.release();
        }
    }

    /** Of names found earlier, those still registered (under the lock). */
    private List<String> stillPresent(Collection<String> names) {
        return names.stream().filter(name -> store.get(name).isPresent()).toList();
    }

    /** Removes registered names (under the lock), never the name server's own, recording each. */
    private int removeNames(List<String> names, Cause cause) {
        List<String> doomed = names.stream().filter(name -> !name.equals(PyroURI.NAMESERVER_NAME)).toList();
        if (doomed.isEmpty()) {
            return 0;
        }
        int removed = store.removeAll(doomed);
        doomed.forEach(name -> changes.removed(name, cause));
        return removed;
    }

    private <T> T locked(Supplier<T> operation) {
        return under(lock.writeLock(), operation);
    }

    private static <T> T under(Lock held, Supplier<T> operation) {
        held.lock();
        try {
            return operation.get();
        } catch (StoreException failed) {
            throw new Refusal(Refusal.Kind.UNAVAILABLE, "the name server's store failed: " + failed.getMessage(), failed);
        } finally {
            held.unlock();
        }
    }

    private static void checkName(String name) {
        if (name == null) {
            throw new TypeError("name must be a str");
        }
        if (name.isEmpty()) {
            throw new NamingError("a name must not be empty");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new NamingError("name too long: " + name.length() + " characters, at most " + MAX_NAME_LENGTH);
        }
    }

    private static Refusal unknownName(String name) {
        return new Refusal(Refusal.Kind.UNKNOWN_NAME, "unknown name: " + PyroError.excerpt(name));
    }

    private static void checkRegistrable(String name) {
        checkName(name);
        if (name.equals(PyroURI.NAMESERVER_NAME)) {
            throw new Refusal(Refusal.Kind.RESERVED_NAME,
                    "the name " + PyroURI.NAMESERVER_NAME + " is the name server's own and cannot be registered");
        }
    }

    private static String canonicalUri(String uri) {
        if (uri == null) {
            throw new TypeError("only URIs or strings can be registered");
        }
        try {
            return PyroURI.parse(uri).toString();
        } catch (PyroError malformed) {
            throw new PyroError(malformed.getMessage() + ": " + PyroError.excerpt(uri));
        }
    }

    private static void checkLease(Duration lease) {
        if (lease.isNegative() || lease.isZero()) {
            throw new NamingError("a lease must be longer than 0 seconds, not " + lease.toMillis() / 1000.0);
        }
    }

    private static Set<String> checkedTags(Collection<String> metadata) {
        if (metadata == null) {
            return Set.of();
        }
        if (metadata.size() > MAX_TAGS) {
            throw new NamingError("too many metadata tags: " + metadata.size() + ", at most " + MAX_TAGS);
        }
        Set<String> tags = new LinkedHashSet<>();
        for (Object tag : metadata) {
            if (!(tag instanceof String text)) {
                throw new TypeError("metadata tags must be strings, not " + (tag == null ? "None" : tag.getClass().getSimpleName()));
            }
            if (text.isEmpty() || text.length() > MAX_TAG_LENGTH) {
                throw new NamingError("a metadata tag must be 1 to " + MAX_TAG_LENGTH + " characters long: '" + PyroError.excerpt(text) + "'");
            }
            tags.add(text);
        }
        return tags;
    }
}
