package io.pyromesh.internal;

import io.pyromesh.values.Tuple;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;

/**
 * Values written as Python's {@code repr} writes them, for output that must read as Pyro's does
 * (nsc's {@code metadata: {'a', 'b'}}, messages quoting tag sets). Sets print sorted: Python's set
 * order is arbitrary, so any fixed order is as faithful and far easier to read and test.
 */
public final class PythonRepr {
    private PythonRepr() {}

    public static String of(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean bool) {
            return bool ? "True" : "False";
        }
        if (value instanceof CharSequence text) {
            return string(text.toString());
        }
        if (value instanceof Tuple tuple) {
            return tuple.size() == 1 ? "(" + of(tuple.get(0)) + ",)" : join("(", tuple, ")");
        }
        if (value instanceof Set<?> set) {
            return set.isEmpty() ? "set()" : join("{", sorted(set), "}");
        }
        if (value instanceof List<?> list) {
            return join("[", list, "]");
        }
        if (value instanceof Map<?, ?> map) {
            StringJoiner entries = new StringJoiner(", ", "{", "}");
            map.forEach((key, item) -> entries.add(of(key) + ": " + of(item)));
            return entries.toString();
        }
        return String.valueOf(value);
    }

    private static Collection<?> sorted(Set<?> set) {
        if (set.stream().allMatch(item -> item instanceof String)) {
            return new TreeSet<>(set);
        }
        return set;
    }

    private static String join(String open, Collection<?> items, String close) {
        StringJoiner joined = new StringJoiner(", ", open, close);
        for (Iterator<?> it = items.iterator(); it.hasNext();) {
            joined.add(of(it.next()));
        }
        return joined.toString();
    }

    /** Python's choice of quotes: single, unless the text has a single quote and no double one. */
    private static String string(String text) {
        char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder repr = new StringBuilder().append(quote);
        text.codePoints().forEach(c -> {
            if (c == quote || c == '\\') {
                repr.append('\\').appendCodePoint(c);
            } else if (c == '\n') {
                repr.append("\\n");
            } else if (c == '\r') {
                repr.append("\\r");
            } else if (c == '\t') {
                repr.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                repr.append(String.format("\\x%02x", c));
            } else {
                repr.appendCodePoint(c);
            }
        });
        return repr.append(quote).toString();
    }
}
