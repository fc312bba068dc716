package io.pyromesh.nameserver.store;

import java.util.function.Consumer;

/**
 * A set of names as one array of references (open addressing, linear probing): about 6 bytes a name
 * where a {@link java.util.HashSet} spends about 40, which matters when one tag is on a million
 * registrations. Not thread-safe.
 */
final class NameSet {
    private static final int MIN_CAPACITY = 4;

    private String[] slots = new String[MIN_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    boolean contains(String name) {
        return slots[find(slots, name)] != null;
    }

    /** Adds a name; false if it was already there. */
    boolean add(String name) {
        int i = find(slots, name);
        if (slots[i] != null) {
            return false;
        }
        slots[i] = name;
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
    String any() {
        int i = 0;
        while (slots[i] == null) {
            i++;
        }
        return slots[i];
    }

    void forEach(Consumer<String> action) {
        for (String name : slots) {
            if (name != null) {
                action.accept(name);
            }
        }
    }

    /** The slot holding {@code name}, or the empty slot where it belongs. */
    private static int find(String[] slots, String name) {
        int mask = slots.length - 1;
        int i = home(name, mask);
        while (slots[i] != null && !slots[i].equals(name)) {
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
            String name = slots[i];
            if (name == null) {
                break;
            }
            int home = home(name, mask);
            // the name may fill the gap unless its home lies cyclically after the gap, up to i
            boolean homeBetween = gap <= i ? gap < home && home <= i : gap < home || home <= i;
            if (!homeBetween) {
                slots[gap] = name;
                gap = i;
            }
        }
        slots[gap] = null;
    }

    private void resize(int capacity) {
        String[] old = slots;
        slots = new String[capacity];
        for (String name : old) {
            if (name != null) {
                slots[find(slots, name)] = name;
            }
        }
    }
}
