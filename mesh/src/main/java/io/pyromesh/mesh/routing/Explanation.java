package io.pyromesh.mesh.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Why a URI goes where it goes ({@link Router#explain}): the candidates the cache holds for it, the one
 * a call would pick now and by which rule, and the state of the cache; or why it resolves to nothing.
 *
 * @param uri the URI explained
 * @param candidates every registration it may resolve to, sorted by name (one for a PYRO URI)
 * @param pick the candidate a call made now would go to, or null
 * @param balancing how the pick is made
 * @param cache the registration cache's state
 * @param error why the URI resolves to nothing (the error a call would get), or the empty string
 */
public record Explanation(String uri, List<Option> candidates, Option pick, String balancing, CacheState cache, String error) {
    public Explanation {
        candidates = List.copyOf(candidates);
    }

    /**
     * One candidate and this hop's view of it.
     *
     * @param name the registered name, or null for a PYRO URI
     * @param uri the PYRO URI it stands for
     * @param metadata its tags
     * @param inFlight calls this hop has in flight there now
     * @param ejectedFor how much longer it is set aside after a failure, or null if it is not
     * @param ejectedBecause the failure that set it aside, or the empty string
     * @param registeredAgo how long ago the cache got its registration (null for a PYRO URI)
     */
    public record Option(String name, String uri, Set<String> metadata, int inFlight, Duration ejectedFor,
            String ejectedBecause, Duration registeredAgo) {
        public Option {
            metadata = Set.copyOf(metadata);
        }

        String describe() {
            StringBuilder line = new StringBuilder();
            line.append(name == null ? "(direct)" : name).append(" -> ").append(uri);
            if (!metadata.isEmpty()) {
                line.append(" ").append(new java.util.TreeSet<>(metadata));
            }
            line.append(", in flight ").append(inFlight);
            if (ejectedFor != null) {
                line.append(", set aside for ").append(CacheState.seconds(ejectedFor)).append(" after ").append(ejectedBecause);
            }
            if (registeredAgo != null) {
                line.append(", registered ").append(CacheState.seconds(registeredAgo)).append(" ago");
            }
            return line.toString();
        }
    }

    /** The explanation as lines for people. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("uri:        " + uri);
        lines.add("cache:      " + (cache.nameServer().isEmpty() ? "" : "name server " + cache.nameServer() + ", ") + cache.describe());
        if (!error.isEmpty()) {
            lines.add("resolves to nothing: " + error);
            return lines;
        }
        lines.add("candidates: " + candidates.size());
        for (Option candidate : candidates) {
            lines.add("  " + candidate.describe());
        }
        lines.add("pick:       " + (pick == null ? "none" : pick.describe()) + " (" + balancing + ")");
        return lines;
    }
}
