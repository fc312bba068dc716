package io.pyromesh.nameserver;

import io.pyromesh.errors.NamingError;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A client's regular expression, matched at the start of names as Pyro's {@code re.match} does, with a
 * time budget: a pathological pattern (catastrophic backtracking) must not tie up the name server.
 */
final class TimedRegex {
    private static final long BUDGET_NANOS = 2_000_000_000L;

    private final Pattern pattern;
    private final long deadline;

    private TimedRegex(Pattern pattern) {
        this.pattern = pattern;
        this.deadline = System.nanoTime() + BUDGET_NANOS;
    }

    /** Compiles a client's pattern; NamingError("invalid regex: ...") if it is malformed. */
    static TimedRegex compile(String regex) {
        try {
            return new TimedRegex(Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new NamingError("invalid regex: " + e.getDescription() + " near index " + e.getIndex());
        }
    }

    /** True if the pattern matches at the start of {@code name}. */
    boolean matchesStartOf(String name) {
        Matcher matcher = pattern.matcher(new Budgeted(name));
        return matcher.lookingAt();
    }

    /** Reading characters is where a backtracking matcher spends its time, so that is where we check. */
    private final class Budgeted implements CharSequence {
        private final CharSequence text;

        Budgeted(CharSequence text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            if (System.nanoTime() > deadline) {
                throw new NamingError("regex took too long: " + pattern.pattern());
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(text.subSequence(start, end));
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
