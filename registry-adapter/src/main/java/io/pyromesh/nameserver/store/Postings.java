package io.pyromesh.nameserver.store;

import java.util.function.Consumer;

/**
 * The registrations an index files under one key (a tag, an expiry instant), kept as small as their number
 * allows: the registration itself while there is one, a {@link NameSet} once there are more, so that a tag
 * or instant on a single registration costs no set at all. Members are distinct by name; adding one with
 * a name already there replaces it. "No names" is null, so {@link #add} and {@link #remove} fit
 * {@link java.util.Map#compute} and {@link java.util.Map#computeIfPresent}, which drop a key mapped to null.
 */
final class Postings {
    private Postings() {}

    static Object add(Object postings, Registration registration) {
        if (postings == null) {
            return registration;
        }
        if (postings instanceof NameSet set) {
            set.add(registration);
            return set;
        }
        if (((Registration) postings).name().equals(registration.name())) {
            return registration;
        }
        NameSet set = new NameSet();
        set.add((Registration) postings);
        set.add(registration);
        return set;
    }

    static Object remove(Object postings, String name) {
        if (postings instanceof NameSet set) {
            set.remove(name);
            return set.size() == 1 ? set.any() : set;
        }
        return ((Registration) postings).name().equals(name) ? null : postings;
    }

    static boolean contains(Object postings, String name) {
        return postings instanceof NameSet set ? set.contains(name) : name.equals(((Registration) postings).name());
    }

    static int size(Object postings) {
        return postings instanceof NameSet set ? set.size() : 1;
    }

    static void forEach(Object postings, Consumer<Registration> action) {
        if (postings instanceof NameSet set) {
            set.forEach(action);
        } else {
            action.accept((Registration) postings);
        }
    }
}
