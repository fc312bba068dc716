package io.pyromesh.mesh.routing;

import io.pyromesh.uri.PyroURI;
import java.util.Set;

/**
 * One registration a URI may resolve to: its name ({@code null} for a {@code PYRO:} URI, which
 * resolves to itself), the {@code PYRO:} URI it stands for, and its metadata tags.
 */
public record Candidate(String name, PyroURI uri, Set<String> metadata) {
    public Candidate {
        metadata = Set.copyOf(metadata);
    }
}
