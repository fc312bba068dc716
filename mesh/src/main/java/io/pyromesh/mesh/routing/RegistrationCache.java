package io.pyromesh.mesh.routing;

import io.pyromesh.proto.v1.WatchEvent;
import io.pyromesh.uri.PyroURI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The name server's registrations as a router sees them, kept current by a {@link NameWatch}: by name
 * (PYRONAME), by tag (PYROMETA) and by URI. Readers (every call) read without locks; the one writer is
 * the watch. A snapshot is gathered aside and takes over whole at the name server's CURRENT marker, so
 * that calls never see a half-received snapshot.
 */
final class RegistrationCache {
    private static final Logger LOG = Logger.getLogger(RegistrationCache.class.getName());

    record Entry(String name, PyroURI uri, Set<String> metadata, long putNanos) {}

    /** One consistent set of registrations with its indexes. */
    private static final class View {
        final Map<String, Entry> byName = new ConcurrentHashMap<>();
        final Map<String, Set<String>> namesByTag = new ConcurrentHashMap<>();
        final Map<PyroURI, Set<String>> namesByUri = new ConcurrentHashMap<>();

        void put(Entry entry) {
            Entry old = byName.put(entry.name, entry);
            if (old != null) {
                unindex(old);
            }
            namesByUri.computeIfAbsent(entry.uri, uri -> ConcurrentHashMap.newKeySet()).add(entry.name);
            for (String tag : entry.metadata) {
                namesByTag.computeIfAbsent(tag, t -> ConcurrentHashMap.newKeySet()).add(entry.name);
            }
        }

        void remove(String name) {
            Entry old = byName.remove(name);
            if (old != null) {
                unindex(old);
            }
        }

        private void unindex(Entry entry) {
            namesByUri.computeIfPresent(entry.uri, (uri, names) -> names.remove(entry.name) && names.isEmpty() ? null : names);
            for (String tag : entry.metadata) {
                namesByTag.computeIfPresent(tag, (t, names) -> names.remove(entry.name) && names.isEmpty() ? null : names);
            }
        }
    }

    private final long created = System.nanoTime();
    private final Consumer<Entry> onPut;
    private volatile View live = new View();
    private View pending;
    private volatile String state = "EMPTY";
    private volatile long stateSince = created;
    private volatile long revision;
    private volatile String historyId = "";
    private volatile long lastChange;
    private volatile String problem = "";
    private volatile boolean everCurrent;

    /** {@code onPut} hears of every registration put (new, replaced, or in a snapshot). */
    RegistrationCache(Consumer<Entry> onPut) {
        this.onPut = onPut;
    }

    // ---- the watch's side

    void connected() {
        if (!state.equals("LIVE")) {
            moveTo(everCurrent ? "STALE" : "EMPTY");
        }
        problem = "";
    }

    /** A snapshot follows: it is gathered aside, and the live view (and its revision) stays until CURRENT. */
    void reset() {
        pending = new View();
        if (everCurrent) {
            moveTo("SYNCING");
        }
    }

    void apply(List<WatchEvent> events, long revision, String historyId) {
        View target = pending != null ? pending : live;
        for (WatchEvent event : events) {
            if (event.getType() == WatchEvent.Type.PUT) {
                Entry entry = entryOf(event);
                if (entry != null) {
                    target.put(entry);
                    onPut.accept(entry);
                }
            } else if (event.getType() == WatchEvent.Type.REMOVED) {
                target.remove(event.getName());
            }
        }
        if (pending == null) {
            this.historyId = historyId;
            this.revision = revision;
            if (!events.isEmpty()) {
                lastChange = System.nanoTime();
            }
        }
    }

    /** The revision of the live view, to resume a watch from (with {@link #historyId()}). */
    long revision() {
        return revision;
    }

    String historyId() {
        return historyId;
    }

    void current(long revision, String historyId) {
        if (pending != null) {
            live = pending;
            pending = null;
            lastChange = System.nanoTime();
        }
        this.revision = revision;
        this.historyId = historyId;
        everCurrent = true;
        problem = "";
        moveTo("LIVE");
    }

    void lost(String why) {
        pending = null;
        problem = why;
        if (!state.equals("STALE") && !state.equals("EMPTY")) {
            moveTo(everCurrent ? "STALE" : "EMPTY");
        }
    }

    private void moveTo(String next) {
        if (!next.equals(state)) {
            state = next;
            stateSince = System.nanoTime();
        }
    }

    private static Entry entryOf(WatchEvent event) {
        try {
            PyroURI uri = PyroURI.parse(event.getRegistration().getUri());
            return new Entry(event.getName(), uri, Set.copyOf(event.getRegistration().getMetadataList()), System.nanoTime());
        } catch (RuntimeException unparsable) {
            LOG.warning(() -> "ignoring the registration of " + event.getName() + ": " + unparsable.getMessage());
            return null;
        }
    }

    // ---- the readers' side

    boolean everCurrent() {
        return everCurrent;
    }

    Entry lookup(String name) {
        return live.byName.get(name);
    }

    /** The registrations holding every tag, sorted by name. */
    List<Entry> withAll(Set<String> tags) {
        View view = live;
        Set<String> smallest = null;
        for (String tag : tags) {
            Set<String> names = view.namesByTag.get(tag);
            if (names == null) {
                return List.of();
            }
            if (smallest == null || names.size() < smallest.size()) {
                smallest = names;
            }
        }
        if (smallest == null) {
            return List.of();
        }
        return smallest.stream()
                .map(view.byName::get)
                .filter(entry -> entry != null && entry.metadata.containsAll(tags))
                .sorted(Comparator.comparing(Entry::name))
                .toList();
    }

    /** The names registered for exactly this URI. */
    Set<String> namesOf(PyroURI uri) {
        Set<String> names = live.namesByUri.get(uri);
        return names == null ? Set.of() : Set.copyOf(names);
    }

    CacheState describe(String nameServer) {
        long now = System.nanoTime();
        String current = state;
        Duration age = current.equals("LIVE") ? Duration.ZERO : Duration.ofNanos(now - stateSince);
        Duration sinceChange = lastChange == 0 ? null : Duration.ofNanos(now - lastChange);
        return new CacheState(nameServer, current, revision, historyId, live.byName.size(), age, sinceChange, problem);
    }

    Duration ageOf(Entry entry) {
        return Duration.ofNanos(System.nanoTime() - entry.putNanos);
    }
}
