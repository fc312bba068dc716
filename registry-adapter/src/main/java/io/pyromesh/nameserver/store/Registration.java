package io.pyromesh.nameserver.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One name-server entry: a logical name, the URI it stands for, its metadata tags, and, for a leased
 * registration, when it expires unless renewed.
 *
 * @param name any string, even the empty one (Pyro's names have no syntax; "prefix" means string prefix)
 * @param uri the URI in canonical text form
 * @param metadata tags, e.g. {@code class:example.Warehouse}; an unmodifiable set, possibly empty
 * @param expires when the lease ends, or null for a registration without a lease
 */
public record Registration(String name, String uri, Set<String> metadata, Instant expires) {
    public Registration {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uri, "uri");
        metadata = Set.copyOf(metadata);
    }

    /** A registration without a lease. */
    public Registration(String name, String uri, Set<String> metadata) {
        this(name, uri, metadata, null);
    }

    public Registration withMetadata(Set<String> newMetadata) {
        return new Registration(name, uri, newMetadata, expires);
    }

    public Registration withExpires(Instant newExpires) {
        return new Registration(name, uri, metadata, newExpires);
    }
}
