package io.pyromesh.values;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.RandomAccess;
import java.util.stream.Collectors;

/**
 * An immutable ordered sequence: Python's {@code tuple}. It travels as {@code Value.tuple_value}, so a
 * tuple sent by a Python peer arrives as a {@code Tuple} and a {@code Tuple} arrives in Python as a
 * tuple (a {@code List} would arrive as a list).
 *
 * <p>Unlike {@link java.util.List#of}, items may be {@code null} (Python's {@code None}). A tuple
 * {@linkplain #equals equals} any {@code List} with the same items, as lists do among themselves.
 */
public final class Tuple extends AbstractList<Object> implements RandomAccess {
    private static final Tuple EMPTY = new Tuple(new Object[0]);

    private final Object[] items;

    private Tuple(Object[] items) {
        this.items = items;
    }

    /** A tuple of the given items, in order; later changes to the array do not show in it. */
    public static Tuple of(Object... items) {
        return items.length == 0 ? EMPTY : new Tuple(items.clone());
    }

    /** A tuple of the collection's items in its iteration order. */
    public static Tuple copyOf(Collection<?> items) {
        if (items instanceof Tuple tuple) {
            return tuple;
        }
        return items.isEmpty() ? EMPTY : new Tuple(items.toArray());
    }

    @Override
    public Object get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    @Override
    public Object[] toArray() {
        return items.clone();
    }

    /** Python's notation without string quotes: {@code (1, a)}, {@code (1,)} and {@code ()}. */
    @Override
    public String toString() {
        if (items.length == 1) {
            return "(" + items[0] + ",)";
        }
        return Arrays.stream(items).map(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
    }
}
