package io.pyromesh.naming;

import io.pyromesh.client.RemoteObject;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.values.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The name server as a Java client sees it: a typed proxy for the Pyro object {@code Pyro.NameServer}
 * ({@code Pyro.locateNS()} gives one). The methods and their names are Pyro5's; arguments left out take
 * Pyro's defaults. Close it when done, as any proxy; {@link #pyroProxy()} reaches the proxy itself.
 *
 * <p>Besides Pyro's methods, whose results keep Pyro's shapes (maps of names to URI text or to
 * (URI, metadata) tuples), {@link #entries} and {@link #entriesWithMetadata} give the same answers as
 * typed {@link Entry} lists.
 */
public interface NameServer extends RemoteObject {
    /**
     * One registration, as the typed methods return it.
     *
     * @param metadata its tags, sorted
     */
    record Entry(String name, PyroURI uri, Set<String> metadata) {
        public Entry {
            metadata = Collections.unmodifiableSet(new TreeSet<>(metadata));
        }
    }

    void ping();

    /** How many names are registered, the name server's own included. */
    int count();

    /** Registers {@code name}, replacing an existing registration. */
    void register(String name, PyroURI uri);

    /** Registers {@code name}; with {@code safe}, a taken name is a NamingError instead of being replaced. */
    void register(String name, PyroURI uri, boolean safe);

    void register(String name, PyroURI uri, boolean safe, Set<String> metadata);

    /** Registers {@code name} for a URI given as text, which the name server checks (Pyro accepts either). */
    void register(String name, String uri, boolean safe);

    /** The URI registered under {@code name}; NamingError "unknown name: ..." if none. */
    PyroURI lookup(String name);

    /** With {@code return_metadata}, a (URI, metadata set) tuple. */
    Tuple lookup(String name, boolean return_metadata);

    /** Removes a name; returns 1, or 0 if it was not registered. */
    int remove(String name);

    /**
     * Removes by name, prefix or regex (the first non-null wins; an empty prefix or regex removes
     * nothing); returns how many went. The name server's own entry is never removed this way.
     */
    int remove(String name, String prefix, String regex);

    /** Every registration: name to URI text. */
    Map<String, String> list();

    /** Registrations whose names start with {@code prefix}, or (if prefix is null) match {@code regex}. */
    Map<String, String> list(String prefix, String regex);

    /**
     * Pyro's {@code list(prefix, regex, return_metadata)}: name to URI text, or with {@code return_metadata}
     * to a (URI text, metadata set) tuple.
     */
    Map<String, Object> list(String prefix, String regex, boolean return_metadata);

    /** Registrations holding all of {@code meta_all}, or any of {@code meta_any}: name to (URI, metadata). */
    Map<String, Tuple> yplookup(Set<String> meta_all, Set<String> meta_any);

    /**
     * The registrations whose names start with {@code prefix}, or (if prefix is null) match {@code regex}
     * at their start, or all if both are null; with their metadata, sorted by name.
     */
    default List<Entry> entries(String prefix, String regex) {
        return Entries.of(list(prefix, regex, true));
    }

    /** The registrations holding all of {@code metaAll}, or any of {@code metaAny}, sorted by name. */
    default List<Entry> entriesWithMetadata(Set<String> metaAll, Set<String> metaAny) {
        return Entries.of(yplookup(metaAll, metaAny));
    }

    /** Replaces a registration's metadata; null or empty clears it. */
    void set_metadata(String name, Set<String> metadata);

    @Override
    void close();
}

/** Pyro's (URI, metadata) tuples as entries, in the name server's order (sorted by name). */
final class Entries {
    private Entries() {}

    static List<NameServer.Entry> of(Map<String, ?> described) {
        List<NameServer.Entry> entries = new ArrayList<>();
        described.forEach((name, value) -> {
            Tuple entry = (Tuple) value;
            Set<String> tags = new TreeSet<>();
            ((Collection<?>) entry.get(1)).forEach(tag -> tags.add(String.valueOf(tag)));
            entries.add(new NameServer.Entry(name, PyroURI.parse(String.valueOf(entry.get(0))), tags));
        });
        return entries;
    }
}
