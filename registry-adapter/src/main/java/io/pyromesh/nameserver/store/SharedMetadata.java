package io.pyromesh.nameserver.store;

import java.util.Set;

/**
 * Lets registrations share equal metadata sets and tag strings instead of each keeping its own copy:
 * registering many objects of one class usually repeats the same tags. It remembers only recent sets and
 * tags, in two fixed-size tables, so it costs no memory per registration and holds nothing alive for long
 * when tags churn. Not thread-safe.
 */
final class SharedMetadata {
    private static final int SLOTS = 1024;

    private final Object[] recentSets = new Object[SLOTS];
    private final String[] recentTags = new String[SLOTS];

    /** An unmodifiable set equal to {@code metadata}, shared with earlier callers where one was seen recently. */
    @SuppressWarnings("unchecked")
    Set<String> share(Set<String> metadata) {
        if (metadata.isEmpty()) {
            return Set.of();
        }
        int slot = slot(metadata.hashCode());
        if (metadata.equals(recentSets[slot])) {
            return (Set<String>) recentSets[slot];
        }
        String[] tags = metadata.toArray(String[]::new);
        for (int i = 0; i < tags.length; i++) {
            tags[i] = share(tags[i]);
        }
        Set<String> shared = Set.of(tags);
        recentSets[slot] = shared;
        return shared;
    }

    private String share(String tag) {
        int slot = slot(tag.hashCode());
        if (tag.equals(recentTags[slot])) {
            return recentTags[slot];
        }
        recentTags[slot] = tag;
        return tag;
    }

    private static int slot(int hash) {
        return NameSet.spread(hash) & (SLOTS - 1);
    }
}
