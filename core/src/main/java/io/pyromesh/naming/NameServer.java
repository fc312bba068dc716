package io.pyromesh.naming;

import io.pyromesh.uri.PyroURI;
import io.pyromesh.values.Tuple;
import java.util.Map;
import java.util.Set;

/**
 * The name server as a Java client sees it: a typed proxy for the Pyro object {@code Pyro.NameServer}
 * ({@code Pyro.locateNS()} gives one). The methods and their names are Pyro5's; arguments left out take
 * Pyro's defaults. Close it when done, as any proxy.
 */
public interface NameServer extends AutoCloseable {
    void ping();

    /** How many names are registered, the name server's own included. */
    int count();

    /** Registers {@code name}, replacing an existing registration. */
    void register(String name, PyroURI uri);

    /** Registers {@code name}; with {@code safe}, a taken name is a NamingError instead of being replaced. */
    void register(String name, PyroURI uri, boolean safe);

    void register(String name, PyroURI uri, boolean safe, Set<String> metadata);

    /** The URI registered under {@code name}; NamingError "unknown name: ..." if none. */
    PyroURI lookup(String name);

    /** With {@code return_metadata}, a (URI, metadata set) tuple. */
    Tuple lookup(String name, boolean return_metadata);

    /** Removes a name; returns 1, or 0 if it was not registered. */
    int remove(String name);

    /** Removes by name, prefix or regex (the first non-null wins); returns how many went. */
    int remove(String name, String prefix, String regex);

    /** Every registration: name to URI text. */
    Map<String, String> list();

    /** Registrations whose names start with {@code prefix}, or (if prefix is null) match {@code regex}. */
    Map<String, String> list(String prefix, String regex);

    /** Registrations holding all of {@code meta_all}, or any of {@code meta_any}: name to (URI, metadata). */
    Map<String, Tuple> yplookup(Set<String> meta_all, Set<String> meta_any);

    /** Replaces a registration's metadata; null or empty clears it. */
    void set_metadata(String name, Set<String> metadata);

    @Override
    void close();
}
