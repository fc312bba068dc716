package io.pyromesh.gateway;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The names the gateway lets callers reach ({@code --expose REGEX}, as Pyro's HTTP gateway): a name is
 * reachable when one of the patterns matches at its start (Python's {@code re.match}; Java's regex
 * syntax). No pattern, no name: the default reaches nothing.
 */
final class AllowList {
    private final List<Pattern> patterns;

    private AllowList(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    /** @throws IllegalArgumentException naming a pattern that does not compile */
    static AllowList of(List<String> regexes) {
        return new AllowList(regexes.stream().map(AllowList::compile).toList());
    }

    private static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException bad) {
            throw new IllegalArgumentException("invalid --expose regex " + regex + ": " + bad.getDescription());
        }
    }

    boolean allows(String name) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(name).lookingAt()) {
                return true;
            }
        }
        return false;
    }

    List<String> patterns() {
        return patterns.stream().map(Pattern::pattern).toList();
    }
}
