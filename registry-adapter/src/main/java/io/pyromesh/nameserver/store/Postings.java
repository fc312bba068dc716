package io.pyromesh.nameserver.store;

import java.util.function.Consumer;

/**
 * The names an index files under one key (a tag, an expiry instant), kept as small as their number allows:
 * the name itself while there is one, a {@link NameSet} once there are more, so that a tag or instant on
 * a single registration costs no set at all. "No names" is null, so {@link #add} and {@link #remove} fit
 * {@link java.util.Map#compute} and {@link java.util.Map#computeIfPresent}, which drop a key mapped to null.
 */
final class Postings {
    private Postings() {}

    static Object add(Object postings, String name) {
        if (postings == null) {
            return name;
        }
        if (postings instanceof NameSet set) {
            set.add(name);
            return set;
        }
        if (postings.equals(name)) {
            return postings;
        }
        NameSet set = new NameSet();
        set.add((String) postings);
        set.add(name);
        return set;
    }

    static Object remove(Object postings, String name) {
        if (postings instanceof NameSet set) {
            set.remove(name);
            return set.size() == 1 ? set.any() : set;
        }
        return postings.equals(name) ? null : postings;
    }

    static boolean contains(Object postings, String name) {
        return postings instanceof NameSet set ? set.contains(name) : name.equals(postings);
    }

    static int size(Object postings) {
        return postings instanceof NameSet set ? set.size() : 1;
    }

    static void forEach(Object postings, Consumer<String> action) {
        if (postings instanceof NameSet set) {
            set.forEach(action);
        } else {
            action.accept((String) postings);
        }
    }
}
