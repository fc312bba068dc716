package io.pyromesh.nameserver.store;

import java.util.Comparator;

/**
 * The order in which stores list names: by Unicode code point, which is how Python sorts {@code str}, how
 * SQLite compares UTF-8 text and how Consul sorts its keys. {@link String#compareTo} differs: it compares
 * UTF-16 units, so it puts a character beyond the Basic Multilingual Plane (a surrogate pair, 0xD800 to
 * 0xDFFF) before one in 0xE000 to 0xFFFF.
 */
public final class NameOrder {
    /** Compares names by code point; consistent with {@link String#equals}. */
    public static final Comparator<String> COMPARATOR = NameOrder::compare;

    private NameOrder() {}

    public static int compare(String a, String b) {
        int common = Math.min(a.length(), b.length());
        for (int i = 0; i < common; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return codePointRank(x) - codePointRank(y);
            }
        }
        return a.length() - b.length();
    }

    /**
     * Where a UTF-16 unit ranks in code point order, at the first unit where two strings differ: surrogates
     * start characters above 0xFFFF, so they move above 0xE000 to 0xFFFF, which move down to make room.
     */
    private static int codePointRank(char c) {
        if (c >= 0xE000) {
            return c - 0x800;
        }
        return Character.isSurrogate(c) ? c + 0x2000 : c;
    }
}
