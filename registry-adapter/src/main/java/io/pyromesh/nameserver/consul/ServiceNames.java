package io.pyromesh.nameserver.consul;

import java.util.Optional;

/**
 * The reversible mapping between Pyro names (any string) and Consul service names. Consul compares
 * service names without regard to case and expects DNS-friendly ones, so a service name uses only
 * {@code a-z}, {@code 0-9} and {@code -}:
 *
 * <ul>
 *   <li>it starts with {@code pyro-}, which keeps Pyro's services apart from everything else in Consul;
 *   <li>{@code a-z} and {@code 0-9} stand for themselves;
 *   <li>{@code .}, the usual separator in Pyro names, becomes {@code --};
 *   <li>every other code point (capitals included) becomes {@code -}, its hexadecimal number in lower
 *       case without leading zeros, {@code -}.
 * </ul>
 *
 * So {@code example.warehouse} is {@code pyro-example--warehouse}, {@code Pyro.NameServer} is
 * {@code pyro--50-yro---4e-ame-53-erver} and {@code caf\u00e9.\uD83D\uDE00} is {@code pyro-caf-e9----1f600-}.
 * Distinct names map to distinct service names, and {@link #decode} accepts only what {@link #encode}
 * makes, so a service that is not Pyro's is never mistaken for one.
 */
final class ServiceNames {
    static final String PREFIX = "pyro-";

    private ServiceNames() {}

    static String encode(String name) {
        StringBuilder service = new StringBuilder(PREFIX.length() + name.length() + 8).append(PREFIX);
        name.codePoints().forEach(c -> {
            if (plain(c)) {
                service.append((char) c);
            } else if (c == '.') {
                service.append("--");
            } else {
                service.append('-').append(Integer.toHexString(c)).append('-');
            }
        });
        return service.toString();
    }

    /** The Pyro name a service name stands for; empty if it is not one that {@link #encode} makes. */
    static Optional<String> decode(String service) {
        if (!service.startsWith(PREFIX)) {
            return Optional.empty();
        }
        StringBuilder name = new StringBuilder(service.length());
        int i = PREFIX.length();
        while (i < service.length()) {
            char c = service.charAt(i);
            if (plain(c)) {
                name.append(c);
                i++;
                continue;
            }
            int end = service.indexOf('-', i + 1);
            if (c != '-' || end < 0) {
                return Optional.empty();
            }
            if (end == i + 1) {
                name.append('.');
            } else {
                String hex = service.substring(i + 1, end);
                Integer codePoint = escaped(hex);
                if (codePoint == null) {
                    return Optional.empty();
                }
                name.appendCodePoint(codePoint);
            }
            i = end + 1;
        }
        return Optional.of(name.toString());
    }

    /** The code point of an escape, if it is exactly what encode writes for it. */
    private static Integer escaped(String hex) {
        if (hex.length() > 6 || (hex.length() > 1 && hex.startsWith("0"))) {
            return null;
        }
        int codePoint;
        try {
            codePoint = Integer.parseInt(hex, 16);
        } catch (NumberFormatException notHex) {
            return null;
        }
        boolean canonical = hex.equals(Integer.toHexString(codePoint)) && codePoint <= Character.MAX_CODE_POINT
                && !plain(codePoint) && codePoint != '.';
        return canonical ? codePoint : null;
    }

    private static boolean plain(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
