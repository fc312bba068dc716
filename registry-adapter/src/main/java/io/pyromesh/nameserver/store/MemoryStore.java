package io.pyromesh.nameserver.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The default store ({@code memory}): volatile, like Pyro's dict, but indexed so that nothing scans every
 * registration. Three indexes:
 *
 * <ul>
 *   <li>names, sorted: lookups, and prefix listing as a range (the names starting with a prefix are
 *       consecutive in any lexicographic order);
 *   <li>tag to names (an inverted index) for metadata search;
 *   <li>expiry instant to names, holding leased registrations only.
 * </ul>
 *
 * <p>Built to hold a million registrations: each costs its {@link Registration} and one sorted-map entry;
 * the tag and expiry indexes file names in compact {@link Postings}, and equal metadata sets are shared
 * ({@link SharedMetadata}). Not thread-safe by itself: the name server's lock serialises every call
 * (see {@link Store}).
 */
public final class MemoryStore implements Store {
    private static final Comparator<Registration> BY_NAME =
            Comparator.comparing(Registration::name, NameOrder.COMPARATOR);

    /**
     * In {@link String#compareTo} order, which the JIT makes twice as fast as {@link NameOrder}; lists are
     * re-sorted into {@link NameOrder}, nearly linear for input that differs from it only around surrogates.
     */
    private final TreeMap<String, Registration> byName = new TreeMap<>();
    private final Map<String, Object> byTag = new HashMap<>();
    private final TreeMap<Instant, Object> byExpiry = new TreeMap<>();
    private final SharedMetadata sharedMetadata = new SharedMetadata();

    @Override
    public void put(Registration registration) {
        Registration shared = share(registration);
        // remove, then put: a replaced TreeMap value would keep the old key, a second copy of the name
        Registration old = byName.remove(shared.name());
        if (old != null) {
            unindex(old);
        }
        byName.put(shared.name(), shared);
        index(shared);
    }

    @Override
    public boolean putIfAbsent(Registration registration) {
        if (byName.containsKey(registration.name())) {
            return false;
        }
        put(registration);
        return true;
    }

    /** Reading maps nobody writes is safe from any number of threads. */
    @Override
    public boolean concurrentReads() {
        return true;
    }

    @Override
    public Optional<Registration> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public boolean remove(String name) {
        Registration old = byName.remove(name);
        if (old == null) {
            return false;
        }
        unindex(old);
        return true;
    }

    @Override
    public int removeAll(Collection<String> names) {
        int removed = 0;
        for (String name : names) {
            if (remove(name)) {
                removed++;
            }
        }
        return removed;
    }

    @Override
    public List<Registration> withPrefix(String prefix) {
        List<Registration> result = new ArrayList<>();
        for (Registration registration : byName.tailMap(prefix, true).values()) {
            if (!registration.name().startsWith(prefix)) {
                break;
            }
            result.add(registration);
        }
        result.sort(BY_NAME);
        return result;
    }

    @Override
    public List<Registration> withAllMetadata(Set<String> tags) {
        // walks the names holding the rarest tag and keeps those that every other tag's postings hold too
        List<Object> postings = new ArrayList<>(tags.size());
        for (String tag : tags) {
            Object names = byTag.get(tag);
            if (names == null) {
                return List.of();
            }
            postings.add(names);
        }
        if (postings.isEmpty()) {
            return List.of();
        }
        // rarest first: it bounds the candidates, and the next rarest rejects them soonest
        postings.sort(Comparator.comparingInt(Postings::size));
        List<Object> others = postings.subList(1, postings.size());
        List<Registration> matches = new ArrayList<>();
        Postings.forEach(postings.get(0), registration -> {
            if (allContain(others, registration.name())) {
                matches.add(registration);
            }
        });
        return sorted(matches);
    }

    @Override
    public List<Registration> withAnyMetadata(Set<String> tags) {
        Map<String, Registration> matches = new HashMap<>();
        for (String tag : tags) {
            Object found = byTag.get(tag);
            if (found != null) {
                Postings.forEach(found, registration -> matches.putIfAbsent(registration.name(), registration));
            }
        }
        return sorted(new ArrayList<>(matches.values()));
    }

    @Override
    public boolean setMetadata(String name, Set<String> metadata) {
        Registration old = byName.get(name);
        if (old == null) {
            return false;
        }
        put(old.withMetadata(metadata));
        return true;
    }

    @Override
    public boolean setExpires(String name, Instant expires) {
        Registration old = byName.get(name);
        if (old == null) {
            return false;
        }
        put(old.withExpires(expires));
        return true;
    }

    @Override
    public List<Registration> expiredAt(Instant now) {
        List<Registration> expired = new ArrayList<>();
        for (Object found : byExpiry.headMap(now, true).values()) {
            Postings.forEach(found, expired::add);
        }
        return sorted(expired);
    }

    @Override
    public int count() {
        return byName.size();
    }

    @Override
    public void close() {
        byName.clear();
        byTag.clear();
        byExpiry.clear();
    }

    private Registration share(Registration registration) {
        Set<String> metadata = sharedMetadata.share(registration.metadata());
        return metadata == registration.metadata() ? registration : registration.withMetadata(metadata);
    }

    private void index(Registration registration) {
        for (String tag : registration.metadata()) {
            byTag.compute(tag, (key, filed) -> Postings.add(filed, registration));
        }
        if (registration.expires() != null) {
            byExpiry.compute(registration.expires(), (key, filed) -> Postings.add(filed, registration));
        }
    }

    private void unindex(Registration registration) {
        String name = registration.name();
        for (String tag : registration.metadata()) {
            byTag.computeIfPresent(tag, (key, names) -> Postings.remove(names, name));
        }
        if (registration.expires() != null) {
            byExpiry.computeIfPresent(registration.expires(), (key, names) -> Postings.remove(names, name));
        }
    }

    private static boolean allContain(List<Object> postings, String name) {
        for (Object names : postings) {
            if (!Postings.contains(names, name)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sorts into {@link NameOrder}: first by {@link String#compareTo}, which the JIT makes fast, then by
     * NameOrder, which is then almost linear (the two orders differ only around surrogates).
     */
    private static List<Registration> sorted(List<Registration> registrations) {
        registrations.sort(Comparator.comparing(Registration::name));
        registrations.sort(BY_NAME);
        return registrations;
    }
}
