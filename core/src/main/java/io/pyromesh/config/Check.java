package io.pyromesh.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A range check on a parsed value (a {@code Long} for ints, a {@code Double} for seconds, a
 * {@code String}, ...). Returns {@code null} when the value is acceptable, otherwise the rest of a
 * sentence that starts with the value: {@code "is not between 0 and 65535"}.
 */
@FunctionalInterface
interface Check {
    Check NONE = value -> null;

    String problem(Object value);

    /** This check, with the reason for the limit appended to its complaint. */
    default Check because(String reason) {
        return value -> {
            String problem = problem(value);
            return problem == null ? null : problem + " (" + reason + ")";
        };
    }

    static Check between(long min, long max) {
        return value -> min <= number(value) && number(value) <= max ? null : "is not between " + min + " and " + max;
    }

    static Check port() {
        return between(0, 65535);
    }

    static Check atLeast(long min) {
        return value -> number(value) >= min ? null : "is less than " + min;
    }

    static Check notNegative() {
        return value -> number(value) >= 0 ? null : "is negative";
    }

    static Check positive() {
        return value -> number(value) > 0 ? null : "is not greater than 0";
    }

    /**
     * Exact matches only, as Pyro compares them ({@code "Thread"} is not {@code "thread"}). Choices are
     * in checked form, so int choices are {@code Long}s.
     */
    static Check oneOf(Object... allowed) {
        List<Object> choices = Arrays.asList(allowed);
        String listed = choices.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return value -> choices.contains(value) ? null : "is not one of " + listed;
    }

    /** Pyro's name server refuses periods under 3 seconds: cleaning more often only loads the server. */
    static Check autoclean() {
        return value -> number(value) == 0 || number(value) >= 3 ? null : "is neither 0 (off) nor at least 3 seconds";
    }

    /** An IPv4 (224.0.0.0/4) or IPv6 (ff00::/8) multicast address literal. */
    static Check multicastGroup() {
        return value -> isMulticastLiteral((String) value) ? null : "is not a multicast group address";
    }

    /** {@code host:port} (or {@code [v6]:port}), as the location part of a PYRO URI. */
    static Check sidecarAddress() {
        return value -> Pattern.matches("([^\\s@/\\[\\]:]+|\\[[0-9a-fA-F:.%]+\\]):\\d{1,5}", (String) value)
                ? null : "is not host:port";
    }

    /** {@code http://HOST:PORT} or {@code https://HOST:PORT}, as Consul's own CONSUL_HTTP_ADDR. */
    static Check httpAddress() {
        return value -> Pattern.matches("https?://[^/?#@\\s]+:\\d{1,5}/?", (String) value) ? null : "is not http://HOST:PORT";
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    private static boolean isMulticastLiteral(String address) {
        if (Pattern.matches("\\d{1,3}(\\.\\d{1,3}){3}", address)) {
            int[] octets = Arrays.stream(address.split("\\.")).mapToInt(Integer::parseInt).toArray();
            return octets[0] >= 224 && octets[0] <= 239 && Arrays.stream(octets).allMatch(o -> o <= 255);
        }
        // Only a string with a colon may reach InetAddress: it then parses as an IPv6 literal or fails,
        // whereas anything else could become a DNS lookup in the middle of reading configuration.
        if (!address.contains(":") || !Pattern.matches("(?i)ff[0-9a-f:.%\\w]*", address)) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isMulticastAddress();
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }
}
