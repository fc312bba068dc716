package io.pyromesh.nameserver;

import io.pyromesh.errors.NamingError;
import io.pyromesh.errors.PyroError;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A client's regular expression, matched at the start of names as Pyro's {@code re.match} does, with a
 * time budget: a pathological pattern (catastrophic backtracking) must not tie up the name server.
 *
 * <p>Line endings follow Python's: {@code $} matches at the end or before a final {@code \n} only, and
 * {@code .} matches anything but {@code \n} ({@link Pattern#UNIX_LINES}; Java would also stop at
 * {@code \r}, {@code \u0085}, {@code \u2028} and {@code \u2029}). Python's {@code \Z} (the very end) is
 * Java's {@code \z}. The rest of the syntax is Java's.
 */
final class TimedRegex {
    static final long BUDGET_NANOS = 2_000_000_000L;

    private final Pattern pattern;
    private final String source;

    private TimedRegex(Pattern pattern, String source) {
        this.pattern = pattern;
        this.source = source;
    }

    /** Compiles a client's pattern; NamingError("invalid regex: ...") if it is malformed. */
    static TimedRegex compile(String regex) {
        try {
            return new TimedRegex(Pattern.compile(pythonEndAnchors(regex), Pattern.UNIX_LINES), regex);
        } catch (PatternSyntaxException e) {
            throw new NamingError("invalid regex: " + e.getDescription() + " near index " + e.getIndex());
        }
    }

    /**
     * The items whose name the pattern matches at its start, in their order; all of them share one
     * {@link #BUDGET_NANOS budget}, counted from this call.
     */
    <T> List<T> matching(List<T> items, Function<T, String> name) {
        long deadline = System.nanoTime() + BUDGET_NANOS;
        List<T> found = new ArrayList<>();
        for (T item : items) {
            if (pattern.matcher(new Budgeted(name.apply(item), deadline)).lookingAt()) {
                found.add(item);
            }
        }
        return found;
    }

    /** Python's {@code \Z} as Java's {@code \z}, outside character classes; escapes are skipped whole. */
    private static String pythonEndAnchors(String regex) {
        StringBuilder java = new StringBuilder(regex.length());
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char escaped = regex.charAt(++i);
                java.append('\\').append(escaped == 'Z' && !inClass ? 'z' : escaped);
                continue;
            }
            if (c == '[' && !inClass) {
                inClass = true;
                java.append(c);
                // a ']' right after '[' or '[^' is a literal, not the class's end
                if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
                    java.append(regex.charAt(++i));
                }
                if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
                    java.append(regex.charAt(++i));
                }
                continue;
            }
            if (c == ']') {
                inClass = false;
            }
            java.append(c);
        }
        return java.toString();
    }

    /** Reading characters is where a backtracking matcher spends its time, so that is where we check. */
    private final class Budgeted implements CharSequence {
        private final CharSequence text;
        private final long deadline;

        Budgeted(CharSequence text, long deadline) {
            this.text = text;
            this.deadline = deadline;
        }

        @Override
        public char charAt(int index) {
            if (System.nanoTime() > deadline) {
                throw new NamingError("regex took too long: " + PyroError.excerpt(source));
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(text.subSequence(start, end), deadline);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
