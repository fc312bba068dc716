package io.pyromesh.values;

import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Strict equality of natural values for round-trip checks: same classes all the way down (a Tuple is
 * not an ArrayList here, though {@code equals} says so), byte arrays by content, sets and maps in
 * iteration order, doubles by {@link Double#equals} (NaN equals NaN, 0.0 differs from -0.0).
 */
final class SameValue {
    private SameValue() {}

    /** Where {@code actual} first differs from {@code expected}, or null if it does not. */
    static String difference(Object expected, Object actual) {
        return difference("value", expected, actual);
    }

    private static String difference(String path, Object expected, Object actual) {
        if (expected == null || actual == null) {
            return expected == actual ? null : path + ": expected " + expected + ", got " + actual;
        }
        if (expected.getClass() != actual.getClass()) {
            return path + ": expected a " + expected.getClass().getName() + ", got a " + actual.getClass().getName();
        }
        if (expected instanceof byte[] bytes) {
            return Arrays.equals(bytes, (byte[]) actual) ? null : path + ": bytes differ";
        }
        if (expected instanceof Collection<?> items) {
            return differenceInOrder(path, items.iterator(), ((Collection<?>) actual).iterator());
        }
        if (expected instanceof Map<?, ?> map) {
            return differenceInOrder(path, map.entrySet().iterator(), ((Map<?, ?>) actual).entrySet().iterator());
        }
        if (expected instanceof Map.Entry<?, ?> entry) {
            Map.Entry<?, ?> other = (Map.Entry<?, ?>) actual;
            String keys = difference(path + ".key", entry.getKey(), other.getKey());
            return keys != null
                    ? keys
                    : difference(path + "[" + entry.getKey() + "]", entry.getValue(), other.getValue());
        }
        return Objects.equals(expected, actual) ? null : path + ": expected " + expected + ", got " + actual;
    }

    private static String differenceInOrder(String path, Iterator<?> expected, Iterator<?> actual) {
        for (int i = 0; expected.hasNext() || actual.hasNext(); i++) {
            if (expected.hasNext() != actual.hasNext()) {
                return path + ": sizes differ at item " + i;
            }
            String difference = difference(path + "[" + i + "]", expected.next(), actual.next());
            if (difference != null) {
                return difference;
            }
        }
        return null;
    }
}
