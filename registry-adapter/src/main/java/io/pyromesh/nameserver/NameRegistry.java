package io.pyromesh.nameserver;

import io.pyromesh.errors.NamingError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.TypeError;
import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.nameserver.store.Store;
import io.pyromesh.uri.PyroURI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The name server's rules (PYRO-SEMANTICS §4.1) over a {@link Store}: what may be registered, looked
 * up, listed and removed, with Pyro's error messages, plus Pyromesh's leases. One lock serializes every
 * operation, as Pyro's does. The clock is a parameter so that lease expiry can be tested.
 */
public final class NameRegistry implements AutoCloseable {
    public static final int MAX_NAME_LENGTH = 1024;
    public static final int MAX_TAG_LENGTH = 512;
    public static final int MAX_TAGS = 64;

    /** "unknown name": NOT_FOUND over gRPC. */
    static final class UnknownName extends NamingError {
        private static final long serialVersionUID = 1L;

        UnknownName(String name) {
            super("unknown name: " + name);
        }

        @Override
        public String pyroName() {
            return "NamingError";
        }
    }

    /** A {@code safe} register of a taken name: ALREADY_EXISTS over gRPC. */
    static final class NameTaken extends NamingError {
        private static final long serialVersionUID = 1L;

        NameTaken(String name) {
            super("name already registered: " + name);
        }

        @Override
        public String pyroName() {
            return "NamingError";
        }
    }

    private final Store store;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();

    public NameRegistry(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Registers {@code name} for {@code uri}, replacing an existing entry unless {@code safe}.
     *
     * @param lease how long the entry lives unless renewed, or null for no lease
     */
    public void register(String name, String uri, boolean safe, Collection<String> metadata, Duration lease) {
        checkName(name);
        String canonical = canonicalUri(uri);
        Set<String> tags = checkedTags(metadata);
        if (lease != null) {
            checkLease(lease);
        }
        Registration registration = new Registration(name, canonical, tags, lease == null ? null : clock.instant().plus(lease));
        locked(() -> {
            expire(name);
            if (safe) {
                if (!store.putIfAbsent(registration)) {
                    throw new NameTaken(name);
                }
            } else {
                store.put(registration);
            }
            return null;
        });
    }

    /** The entry registered under {@code name}; {@link UnknownName} if there is none. */
    public Registration lookup(String name) {
        checkName(name);
        return locked(() -> {
            expire(name);
            return store.get(name).orElseThrow(() -> new UnknownName(name));
        });
    }

    /** Removes one name; the name server's own entry stays. Returns 1 or 0. */
    public int remove(String name) {
        checkName(name);
        if (name.equals(PyroURI.NAMESERVER_NAME)) {
            return 0;
        }
        return locked(() -> store.remove(name) ? 1 : 0);
    }

    /** Removes every name starting with {@code prefix}, except the name server's own. */
    public int removePrefix(String prefix) {
        return locked(() -> store.removeAll(withoutSelf(store.withPrefix(prefix))));
    }

    /** Removes every name that {@code regex} matches at its start, except the name server's own. */
    public int removeRegex(String regex) {
        TimedRegex pattern = TimedRegex.compile(regex);
        return locked(() -> store.removeAll(withoutSelf(matching(pattern))));
    }

    /** All entries, or those whose name starts with {@code prefix} or matches {@code regex}; sorted by name. */
    public List<Registration> list(String prefix, String regex) {
        if (prefix != null && regex != null) {
            throw new TypeError("you can only filter on one thing at a time");
        }
        if (regex != null) {
            TimedRegex pattern = TimedRegex.compile(regex);
            return locked(() -> matching(pattern));
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
            expire(name);
            if (!store.setMetadata(name, tags)) {
                throw new UnknownName(name);
            }
            return null;
        });
    }

    /** Extends a leased entry to {@code lease} from now; {@link UnknownName} if it has gone. */
    public void renewLease(String name, Duration lease) {
        checkName(name);
        checkLease(lease);
        locked(() -> {
            expire(name);
            if (!store.setExpires(name, clock.instant().plus(lease))) {
                throw new UnknownName(name);
            }
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
        return locked(() -> {
            List<String> expired = store.expiredAt(clock.instant()).stream().map(Registration::name).toList();
            return expired.isEmpty() ? 0 : store.removeAll(expired);
        });
    }

    /** Removes the named entries (autoclean), except the name server's own; returns how many. */
    int removeAll(Collection<String> names) {
        return locked(() -> store.removeAll(names.stream().filter(n -> !n.equals(PyroURI.NAMESERVER_NAME)).toList()));
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

    private void expire(String name) {
        store.get(name).filter(this::expired).ifPresent(gone -> store.remove(name));
    }

    private boolean expired(Registration registration) {
        return registration.expires() != null && !registration.expires().isAfter(clock.instant());
    }

    /** Entries whose lease ended but which the once-a-second sweep has not removed yet are already gone. */
    private List<Registration> live(List<Registration> registrations) {
        Instant now = clock.instant();
        return registrations.stream().filter(r -> r.expires() == null || r.expires().isAfter(now)).toList();
    }

    private List<Registration> matching(TimedRegex pattern) {
        List<Registration> found = new ArrayList<>();
        for (Registration registration : live(store.withPrefix(""))) {
            if (pattern.matchesStartOf(registration.name())) {
                found.add(registration);
            }
        }
        return found;
    }

    private static List<String> withoutSelf(List<Registration> registrations) {
        return registrations.stream().map(Registration::name).filter(n -> !n.equals(PyroURI.NAMESERVER_NAME)).toList();
    }

    private <T> T locked(Supplier<T> operation) {
        lock.lock();
        try {
            return operation.get();
        } finally {
            lock.unlock();
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

    private static String canonicalUri(String uri) {
        if (uri == null) {
            throw new TypeError("only URIs or strings can be registered");
        }
        try {
            return PyroURI.parse(uri).toString();
        } catch (PyroError malformed) {
            throw new PyroError(malformed.getMessage() + ": " + abbreviated(uri));
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
                throw new NamingError("a metadata tag must be 1 to " + MAX_TAG_LENGTH + " characters long: '" + abbreviated(text) + "'");
            }
            tags.add(text);
        }
        return tags;
    }

    private static String abbreviated(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
