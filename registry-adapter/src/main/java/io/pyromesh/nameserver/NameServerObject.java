package io.pyromesh.nameserver;

import io.pyromesh.errors.TypeError;
import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.server.Expose;
import io.pyromesh.server.Omittable;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.values.Tuple;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The name server as the Pyro object {@code Pyro.NameServer}, with Pyro5's method names, optional
 * arguments and results, so that {@code PYRONAME:} proxies, Pyro-minded clients and {@code nsc} work
 * through {@code Invoke} as they would against Pyro's own name server.
 */
@Expose
public final class NameServerObject {
    private final NameRegistry registry;

    public NameServerObject(NameRegistry registry) {
        this.registry = registry;
    }

    /** {@code register(name, uri, safe=False, metadata=None)}: {@code uri} is a URI or a str. */
    public void register(String name, Object uri, @Omittable Boolean safe, @Omittable Collection<String> metadata) {
        if (uri instanceof PyroURI parsed) {
            registry.register(name, parsed, Boolean.TRUE.equals(safe), metadata, null);
        } else if (uri instanceof String text) {
            registry.register(name, text, Boolean.TRUE.equals(safe), metadata, null);
        } else {
            throw new TypeError("only URIs or strings can be registered");
        }
    }

    /** {@code lookup(name, return_metadata=False)}: the URI, or a (URI, metadata) tuple. */
    public Object lookup(String name, @Omittable Boolean return_metadata) {
        Registration found = registry.lookup(name);
        PyroURI uri = PyroURI.parse(found.uri());
        return Boolean.TRUE.equals(return_metadata) ? Tuple.of(uri, new TreeSet<>(found.metadata())) : uri;
    }

    /**
     * {@code remove(name=None, prefix=None, regex=None)}: the first filter given decides; returns how many
     * went. As in Pyro, an empty string is no filter: {@code remove(prefix="")} removes nothing.
     */
    public int remove(@Omittable String name, @Omittable String prefix, @Omittable String regex) {
        if (given(name)) {
            return registry.remove(name);
        }
        if (given(prefix)) {
            return registry.removePrefix(prefix);
        }
        return given(regex) ? registry.removeRegex(regex) : 0;
    }

    private static boolean given(String filter) {
        return filter != null && !filter.isEmpty();
    }

    /** {@code list(prefix=None, regex=None, return_metadata=False)}: name to URI text (or (URI, metadata)). */
    public Map<String, Object> list(@Omittable String prefix, @Omittable String regex, @Omittable Boolean return_metadata) {
        return described(registry.list(prefix, regex), Boolean.TRUE.equals(return_metadata));
    }

    /** {@code yplookup(meta_all=None, meta_any=None, return_metadata=True)}: by metadata; metadata included by default. */
    public Map<String, Object> yplookup(@Omittable Collection<String> meta_all, @Omittable Collection<String> meta_any,
            @Omittable Boolean return_metadata) {
        return described(registry.yplookup(meta_all, meta_any), !Boolean.FALSE.equals(return_metadata));
    }

    /** {@code set_metadata(name, metadata)}: None clears. */
    public void set_metadata(String name, @Omittable Collection<String> metadata) {
        registry.setMetadata(name, metadata);
    }

    public int count() {
        return registry.count();
    }

    public void ping() {
        // the round trip is the answer
    }

    private static Map<String, Object> described(List<Registration> registrations, boolean withMetadata) {
        Map<String, Object> described = new LinkedHashMap<>();
        for (Registration registration : registrations) {
            Set<String> tags = new TreeSet<>(registration.metadata());
            described.put(registration.name(), withMetadata ? Tuple.of(registration.uri(), tags) : registration.uri());
        }
        return described;
    }
}
