package io.pyromesh.nameserver.store;

import java.util.function.Consumer;

/**
 * A set of registrations, distinct by name, as one array of references (open addressing, linear
 * probing): about 6 bytes a member where a {@link java.util.HashSet} spends about 40, which matters when
 * one tag is on a million registrations. Holding the registrations themselves, not their names, spares a
 * search that finds thousands of them as many lookups in the name index. Not thread-safe.
 */
final class NameSet {
    private static final int MIN_CAPACITY = 4;

    private Registration[] slots = new Registration[MIN_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    boolean contains(String name) {
        return slots[find(slots, name)] != null;
    }

    /** Adds a registration, or replaces the one of the same name; false if the name was already there. */
    boolean add(Registration registration) {
        int i = find(slots, registration.name());
        if (slots[i] != null) {
            slots[i] = registration;
            return false;
        }
        slots[i] = registration;
        size++;
        // keep the load at or under 3/4 so probe sequences stay short
        if (size * 4 > slots.length * 3) {
            resize(slots.length * 2);
        }
        return true;
    }

    /** Removes a name; false if it was not there. */
    boolean remove(String name) {
        int i = find(slots, name);
        if (slots[i] == null) {
            return false;
        }
        closeGap(i);
        size--;
        // give memory back after mass removals, with hysteresis against resizing back and forth
        if (slots.length > MIN_CAPACITY && size * 8 < slots.length) {
            resize(slots.length / 2);
        }
        return true;
    }

    /** Some member; the set must not be empty. */
    Registration any() {
        int i = 0;
        while (slots[i] == null) {
            i++;
        }
        return slots[i];
    }

    void forEach(Consumer<Registration> action) {
        for (Registration registration : slots) {
            if (registration != null) {
                action.accept(registration);
            }
        }
    }

    /** The slot holding {@code name}, or the empty slot where it belongs. */
    private static int find(Registration[] slots, String name) {
        int mask = slots.length - 1;
        int i = home(name, mask);
        while (slots[i] != null && !slots[i].name().equals(name)) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private static int home(String name, int mask) {
        return spread(name.hashCode()) & mask;
    }

    /** Mixes a hash code so that its low bits, which pick a slot, depend on all its bits. */
    static int spread(int hash) {
        // multiply and fold: String.hashCode's low bits alone cluster for names like "service.0001"
        int h = hash * 0x9E3779B9;
        return h ^ h >>> 16;
    }

    /** Empties slot {@code gap}, moving later members of the probe run back so that lookups still find them. */
    private void closeGap(int gap) {
        int mask = slots.length - 1;
        int i = gap;
        while (true) {
            i = (i + 1) & mask;
            Registration member = slots[i];
            if (member == null) {
                break;
            }
            int home = home(member.name(), mask);
            // the name may fill the gap unless its home lies cyclically after the gap, up to i
            boolean homeBetween = gap <= i ? gap < home && home <= i : gap < home || home <= i;
            if (!homeBetween) {
                slots[gap] = member;
                gap = i;
            }
        }
        slots[gap] = null;
    }

    private void resize(int capacity) {
        Registration[] old = slots;
        slots = new Registration[capacity];
        for (Registration member : old) {
            if (member != null) {
                slots[find(slots, member.name())] = member;
            }
        }
    }
}
