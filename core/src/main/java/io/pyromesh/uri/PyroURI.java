package io.pyromesh.uri;

import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.TypeError;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable Pyro URI, one of
 *
 * <pre>
 * PYRO:objectid@host:port           PYRO:objectid@[ipv6]:port        PYRO:objectid@./u:socketname
 * PYRONAME:logicalname[@nshost[:nsport]]
 * PYROMETA:tag1,tag2[@nshost[:nsport]]
 * </pre>
 *
 * <p>{@link #parse} accepts what Pyro 5's {@code URI} accepts, with its error messages, except for the
 * stricter rules listed below; the protocol is case-insensitive and kept upper case. {@link #toString()}
 * is the canonical form, and {@code parse(u.toString()).equals(u)} holds for every instance.
 *
 * <p>Stricter than Pyro, so that every URI round-trips and names a reachable place:
 * <ul>
 *   <li>a port is ASCII digits in 1..65535 (Pyro takes anything Python's {@code int()} takes: {@code -5},
 *       {@code 0}, {@code +5}, {@code " 5"}, {@code 1_0});
 *   <li>{@code [ipv6]} must be a well-formed numeric address, optionally with a hex zone ({@code %25}), and
 *       nothing but {@code :port} may follow the bracket (Pyro ignores trailing text, even {@code x} in
 *       {@code [::1]:12x});
 *   <li>a host is non-empty and has no whitespace, control characters or {@code / @ [ ]};
 *   <li>an abstract socket name is more than the {@code \0} that marks it;
 *   <li>the object part has no {@code @} (Pyro reads {@code PYRONAME:@h} and {@code PYRONAME:a@} as names);
 *   <li>PYROMETA tags are non-empty ({@code PYROMETA:a,,b} is refused: Pyro keeps an empty tag whose
 *       string form may not parse again);
 *   <li>a newline anywhere is refused (Pyro tolerates one trailing newline);
 *   <li>an echoed port longer than 64 characters is shortened in the error message.
 * </ul>
 *
 * <p>The factory methods follow the same rules but, being Java API rather than input parsing, report a
 * bad argument with {@link IllegalArgumentException} (and {@code null} with {@link NullPointerException}).
 */
public final class PyroURI {
    /** The object id of the daemon's own object, present in every daemon. */
    public static final String DAEMON_NAME = "Pyro.Daemon";
    /** The object id (and registered name) of the name server. */
    public static final String NAMESERVER_NAME = "Pyro.NameServer";
    /** The name server port a PYRONAME/PYROMETA URI gets when its host has no port. */
    public static final int DEFAULT_NS_PORT = 9090;

    /** The URI kinds; {@link #name()} is the text before the first colon. */
    public enum Protocol { PYRO, PYRONAME, PYROMETA }

    private static final String INVALID = "invalid uri";
    private static final String INVALID_PROTOCOL = "invalid uri (protocol)";
    private static final String INVALID_LOCATION = "invalid uri (location)";
    private static final String IPV6_BRACKETS = "invalid ipv6 address: enclosed in too many brackets";
    private static final String IPV6_NUMERIC =
            "invalid ipv6 address: the part between brackets must be a numeric ipv6 address";
    private static final String UNIX_PREFIX = "./u:";
    private static final String HEX = "0123456789ABCDEF";

    private final Protocol protocol;
    private final String object;
    private final Set<String> tags;
    private final String host;
    private final int port;
    private final String socketName;
    private final String text;

    private PyroURI(Protocol protocol, String object, Set<String> tags, String host, int port, String socketName) {
        this.protocol = protocol;
        this.object = object;
        this.tags = tags;
        this.host = host;
        this.port = port;
        this.socketName = socketName;
        String location = location();
        this.text = protocol.name() + ":" + object + (location == null ? "" : "@" + location);
    }

    /**
     * Parses a URI string.
     *
     * @throws PyroError with Pyro's message ({@code "invalid uri"}, {@code "invalid uri (protocol)"},
     *     {@code "invalid uri (location)"}, {@code "invalid port in uri, port=..."}, {@code "invalid ipv6
     *     address: ..."}); for {@code null} a {@link TypeError} (a PyroError), as Pyro does for a non-str
     */
    public static PyroURI parse(String text) {
        if (text == null) {
            throw new TypeError("uri parameter object is of wrong type");
        }
        int colon = text.indexOf(':');
        if (colon < 0 || !isPyroProtocolWord(text, colon)) {
            throw new PyroError(INVALID);
        }
        String rest = text.substring(colon + 1);
        int at = rest.indexOf('@');
        String object = at < 0 ? rest : rest.substring(0, at);
        String location = at < 0 ? null : rest.substring(at + 1);
        // Pyro's regex fails as a whole (plain "invalid uri") before it looks at the protocol name
        if (object.isEmpty() || containsSpace(object) || (location != null && location.indexOf('\n') >= 0)) {
            throw new PyroError(INVALID);
        }
        Protocol protocol;
        try {
            protocol = Protocol.valueOf(text.substring(0, colon).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new PyroError(INVALID_PROTOCOL);
        }
        if ((location != null && location.isEmpty()) || (protocol == Protocol.PYRO && location == null)) {
            throw new PyroError(INVALID);
        }
        Location where = location == null
                ? new Location(null, 0, null)
                : parseLocation(location, protocol == Protocol.PYRO ? 0 : DEFAULT_NS_PORT);
        Set<String> tags = Set.of();
        if (protocol == Protocol.PYROMETA) {
            // after the location, as Pyro reports a bad location of a URI with odd tags
            tags = new LinkedHashSet<>();
            for (String tag : object.split(",", -1)) {
                if (tag.isEmpty()) {
                    throw new PyroError(INVALID);
                }
                tags.add(tag);
            }
            tags = Collections.unmodifiableSet(tags);
            object = String.join(",", tags);
        }
        return new PyroURI(protocol, object, tags, where.host(), where.port(), where.socketName());
    }

    private record Location(String host, int port, String socketName) {}

    /** The part after {@code @}; {@code defaultPort} 0 means the port is required. */
    private static Location parseLocation(String location, int defaultPort) {
        if (location.startsWith(UNIX_PREFIX)) {
            String socketName = location.substring(UNIX_PREFIX.length());
            if (!isValidSocketName(socketName)) {
                throw new PyroError(INVALID_LOCATION);
            }
            return new Location(null, 0, socketName);
        }
        boolean bracketed = location.startsWith("[");
        String host;
        String portText;
        if (bracketed) {
            if (location.startsWith("[[")) {
                throw new PyroError(IPV6_BRACKETS);
            }
            int close = location.indexOf(']');
            if (close < 0 || !isNumericIpv6(location.substring(1, close))) {
                throw new PyroError(IPV6_NUMERIC);
            }
            host = location.substring(1, close);
            String after = location.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw new PyroError(INVALID_LOCATION);
            }
            portText = after.isEmpty() ? "" : after.substring(1);
        } else {
            int colon = location.indexOf(':');
            host = colon < 0 ? location : location.substring(0, colon);
            portText = colon < 0 ? "" : location.substring(colon + 1);
        }
        // the port is checked before the host name because Pyro reports a bad port whatever the host is
        int port = portText.isEmpty() ? defaultPort : parsePort(portText);
        if (port <= 0) {
            throw new PyroError("invalid port in uri, port=" + (portText.isEmpty() ? "None" : PyroError.excerpt(portText)));
        }
        if (!bracketed && !isValidHostName(host)) {
            throw new PyroError(INVALID_LOCATION);
        }
        return new Location(host, port, null);
    }

    /** {@code PYRO:objectId@host:port}; an IPv6 host is given without brackets, e.g. {@code "::1"}. */
    public static PyroURI direct(String objectId, String host, int port) {
        return new PyroURI(Protocol.PYRO, checkObject(objectId), Set.of(), checkHost(host), checkPort(port), null);
    }

    /** {@code PYRO:objectId@./u:socketName}; a name starting with {@code \0} is in Linux's abstract namespace. */
    public static PyroURI unixSocket(String objectId, String socketName) {
        if (!isValidSocketName(Objects.requireNonNull(socketName, "socketName"))) {
            throw new IllegalArgumentException(
                    "socket name must be non-empty and contain no ':' or newline: " + quote(socketName));
        }
        return new PyroURI(Protocol.PYRO, checkObject(objectId), Set.of(), null, 0, socketName);
    }

    /** {@code PYRONAME:logicalName}, to be resolved through a name server found by discovery. */
    public static PyroURI name(String logicalName) {
        return new PyroURI(Protocol.PYRONAME, checkObject(logicalName), Set.of(), null, 0, null);
    }

    /** {@code PYRONAME:logicalName@nsHost:nsPort}. */
    public static PyroURI name(String logicalName, String nsHost, int nsPort) {
        return new PyroURI(
                Protocol.PYRONAME, checkObject(logicalName), Set.of(), checkHost(nsHost), checkPort(nsPort), null);
    }

    /**
     * {@code PYROMETA:tag1,tag2}: a lookup of a registration carrying all tags, through a name server found by
     * discovery. Tags are stripped of surrounding whitespace and de-duplicated, keeping their first order.
     */
    public static PyroURI meta(Collection<String> tags) {
        Set<String> checked = checkTags(tags);
        return new PyroURI(Protocol.PYROMETA, String.join(",", checked), checked, null, 0, null);
    }

    /** {@code PYROMETA:tag1,tag2@nsHost:nsPort}; tags as in {@link #meta(Collection)}. */
    public static PyroURI meta(Collection<String> tags, String nsHost, int nsPort) {
        Set<String> checked = checkTags(tags);
        return new PyroURI(
                Protocol.PYROMETA, String.join(",", checked), checked, checkHost(nsHost), checkPort(nsPort), null);
    }

    public Protocol protocol() {
        return protocol;
    }

    /** The object id (PYRO), the logical name (PYRONAME) or the tags joined with {@code ","} (PYROMETA). */
    public String object() {
        return object;
    }

    /** The tags of a PYROMETA URI in their first order, unmodifiable; empty for other protocols. */
    public Set<String> metaTags() {
        return tags;
    }

    /** The host, IPv6 without brackets; {@code null} without a location or for a Unix socket. */
    public String host() {
        return host;
    }

    /** The port, or 0 without a host. */
    public int port() {
        return port;
    }

    /** The Unix socket name (after {@code ./u:}), or {@code null}. */
    public String socketName() {
        return socketName;
    }

    public boolean isUnixSocket() {
        return socketName != null;
    }

    /** {@code host:port}, {@code [ipv6]:port}, {@code ./u:socketname}, or {@code null} without a location. */
    public String location() {
        if (socketName != null) {
            return UNIX_PREFIX + socketName;
        }
        if (host == null) {
            return null;
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * The gRPC channel target of a PYRO URI: {@code host:port}, {@code [ipv6]:port}, {@code unix:path} (relative
     * or absolute) or {@code unix-abstract:name} for a socket name starting with {@code \0} (dropped). Characters
     * other than URI-unreserved ones and {@code /} in a socket name are percent-encoded (UTF-8), because gRPC
     * parses targets as URIs and decodes the path: a space or {@code ?} would otherwise break the target.
     *
     * @throws IllegalStateException for PYRONAME/PYROMETA, which must be resolved to a PYRO URI first
     */
    public String grpcTarget() {
        if (protocol != Protocol.PYRO) {
            throw new IllegalStateException("only a PYRO uri has a gRPC target, resolve this one first: " + this);
        }
        if (socketName == null) {
            return location();
        }
        if (socketName.charAt(0) == '\0') {
            return "unix-abstract:" + percentEncode(socketName.substring(1));
        }
        // "unix://x" would make x an authority, which gRPC refuses; an empty authority keeps "//x" a path
        return (socketName.startsWith("//") ? "unix://" : "unix:") + percentEncode(socketName);
    }

    /**
     * The object {@code objectId} at this URI's location.
     *
     * @throws IllegalStateException for PYRONAME/PYROMETA, whose object part is not an object id
     */
    public PyroURI withObject(String objectId) {
        if (protocol != Protocol.PYRO) {
            throw new IllegalStateException("only a PYRO uri has an object id to replace: " + this);
        }
        return new PyroURI(protocol, checkObject(objectId), tags, host, port, socketName);
    }

    /** The canonical form, e.g. {@code PYRONAME:x@h:9090} for {@code pyroname:x@h}. */
    @Override
    public String toString() {
        return text;
    }

    /** Equal when protocol, object (the tag set for PYROMETA, in any order), socket name, host and port are. */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof PyroURI)) {
            return false;
        }
        PyroURI that = (PyroURI) other;
        return protocol == that.protocol
                && Objects.equals(identity(), that.identity())
                && Objects.equals(socketName, that.socketName)
                && Objects.equals(host, that.host)
                && port == that.port;
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocol, identity(), socketName, host, port);
    }

    private Object identity() {
        return protocol == Protocol.PYROMETA ? tags : object;
    }

    // ---- validation shared by parse() and the factories

    private static boolean isPyroProtocolWord(String text, int end) {
        if (end < 4 || !text.regionMatches(true, 0, "PYRO", 0, 4)) {
            return false;
        }
        for (int i = 4; i < end; i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    /** Python's {@code str.isspace()}, which decides what Pyro's {@code \S} excludes. */
    private static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
    }

    private static boolean containsSpace(String s) {
        return s.codePoints().anyMatch(PyroURI::isSpace);
    }

    private static boolean isValidObject(String s) {
        return !s.isEmpty() && s.indexOf('@') < 0 && !containsSpace(s);
    }

    private static boolean isValidSocketName(String s) {
        return !s.isEmpty() && !s.equals("\0") && s.indexOf(':') < 0 && s.indexOf('\n') < 0;
    }

    private static boolean isValidHostName(String s) {
        return !s.isEmpty()
                && s.codePoints().noneMatch(c -> isSpace(c) || Character.isISOControl(c) || "/@[]:".indexOf(c) >= 0);
    }

    /** Hex groups with at most one {@code ::}, optionally followed by a hex zone id ({@code %25}). */
    private static boolean isNumericIpv6(String s) {
        int percent = s.indexOf('%');
        String address = percent < 0 ? s : s.substring(0, percent);
        if (percent >= 0) {
            String zone = s.substring(percent + 1);
            if (zone.isEmpty() || !zone.chars().allMatch(c -> Character.digit(c, 16) >= 0 && c < 128)) {
                return false;
            }
        }
        int gap = address.indexOf("::");
        if (gap < 0) {
            return countGroups(address) == 8;
        }
        if (address.indexOf("::", gap + 1) >= 0) {
            return false;
        }
        int head = gap == 0 ? 0 : countGroups(address.substring(0, gap));
        int tail = gap + 2 == address.length() ? 0 : countGroups(address.substring(gap + 2));
        return head >= 0 && tail >= 0 && head + tail <= 7;
    }

    /** The number of colon-separated groups of 1..4 hex digits, or -1 when malformed. */
    private static int countGroups(String s) {
        int groups = 1;
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ':') {
                if (digits == 0) {
                    return -1;
                }
                groups++;
                digits = 0;
            } else if (c < 128 && Character.digit(c, 16) >= 0 && digits < 4) {
                digits++;
            } else {
                return -1;
            }
        }
        return digits == 0 ? -1 : groups;
    }

    /** The port in 1..65535, or -1; leading zeros are fine (Pyro reads them as Python does). */
    private static int parsePort(String s) {
        int value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
            if (value > 65535) {
                return -1;
            }
        }
        return value == 0 ? -1 : value;
    }

    private static String checkObject(String objectId) {
        if (!isValidObject(Objects.requireNonNull(objectId, "objectId"))) {
            throw new IllegalArgumentException(
                    "object id or name must be non-empty and contain no whitespace or '@': " + quote(objectId));
        }
        return objectId;
    }

    private static String checkHost(String host) {
        Objects.requireNonNull(host, "host");
        if (host.startsWith("[")) {
            throw new IllegalArgumentException("give an IPv6 host without brackets: " + quote(host));
        }
        if (host.contains(":") ? !isNumericIpv6(host) : !isValidHostName(host)) {
            throw new IllegalArgumentException(
                    "host must be a host name or a numeric IPv6 address: " + quote(host));
        }
        return host;
    }

    private static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535: " + port);
        }
        return port;
    }

    private static Set<String> checkTags(Collection<String> tags) {
        Set<String> checked = new LinkedHashSet<>();
        for (String tag : Objects.requireNonNull(tags, "tags")) {
            String stripped = strip(Objects.requireNonNull(tag, "tag"));
            if (!isValidObject(stripped) || stripped.indexOf(',') >= 0) {
                throw new IllegalArgumentException(
                        "a tag must be non-empty and contain no whitespace, ',' or '@': " + quote(tag));
            }
            checked.add(stripped);
        }
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("a PYROMETA uri needs at least one tag");
        }
        return Collections.unmodifiableSet(checked);
    }

    /** Python's {@code str.strip()}: Java's {@code String.strip()} keeps no-break spaces, Python drops them. */
    private static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static String percentEncode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xf));
            }
        }
        return out.toString();
    }

    private static String quote(String s) {
        return "'" + PyroError.excerpt(s) + "'";
    }
}
