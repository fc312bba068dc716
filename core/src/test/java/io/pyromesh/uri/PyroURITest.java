package io.pyromesh.uri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.TypeError;
import io.pyromesh.uri.PyroURI.Protocol;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PyroURITest {

    private static final String NUMERIC_IPV6 =
            "invalid ipv6 address: the part between brackets must be a numeric ipv6 address";

    // ---- PYRO-SEMANTICS §1 error table, row by row, and further cases checked against Pyro 5.17-dev0

    static Stream<Arguments> pyrosErrorTable() {
        return Stream.of(
                Arguments.of("", "invalid uri"),
                Arguments.of(" ", "invalid uri"),
                Arguments.of("a", "invalid uri"),
                Arguments.of("PYRO", "invalid uri"),
                Arguments.of("PYRO:", "invalid uri"),
                Arguments.of("PYRO::", "invalid uri"),
                Arguments.of("PYRO:a", "invalid uri"),
                Arguments.of("PYRO:obj@host", "invalid port in uri, port=None"),
                Arguments.of("pyro:o@h:12x", "invalid port in uri, port=12x"),
                Arguments.of("PYRO:objid@hostname:7766:bogus", "invalid port in uri, port=7766:bogus"),
                Arguments.of("PYRO:@hostname:7766", "invalid uri"),
                Arguments.of("PYRO:obj id@host:1", "invalid uri"),
                Arguments.of("PYROLOC:obj@host:1", "invalid uri (protocol)"),
                // the spec's table says "(protocol)" here, but Pyro answers "invalid uri": its regex
                // only knows PYRO... words, so FOOBAR fails before the protocol is looked at
                Arguments.of("FOOBAR:obj@host:1", "invalid uri"),
                Arguments.of("PYRO:o@[[::1]]:1", "invalid ipv6 address: enclosed in too many brackets"),
                Arguments.of("PYRO:o@[name]:1", NUMERIC_IPV6),
                Arguments.of("PYRO:12345@./u:sockname:9999", "invalid uri (location)"),
                Arguments.of("PYRONAME:", "invalid uri"),
                Arguments.of("PYROMETA:", "invalid uri"));
    }

    static Stream<Arguments> moreErrorsPyroAgreesWith() {
        return Stream.of(
                Arguments.of("PYROLOC:", "invalid uri"),
                Arguments.of("PYRO1:x@h:1", "invalid uri"),
                Arguments.of(" PYRO:o@h:1", "invalid uri"),
                Arguments.of("PYRO:o@h:", "invalid port in uri, port=None"),
                Arguments.of("PYRO:o@[::1]", "invalid port in uri, port=None"),
                Arguments.of("PYRO:o@[::1]:", "invalid port in uri, port=None"),
                Arguments.of("PYRO:o@h:1 2", "invalid port in uri, port=1 2"),
                Arguments.of("PYRO:o@[::1:5", NUMERIC_IPV6),
                Arguments.of("PYRO:o@[fe80::1%eth0]:1", NUMERIC_IPV6),
                Arguments.of("PYRO:o@./u:", "invalid uri (location)"),
                Arguments.of("PYROMETA:a, b", "invalid uri"),
                Arguments.of("PYRO:o\u00a0x@h:1", "invalid uri"),
                Arguments.of("PYRO:o\u001cx@h:1", "invalid uri"),
                Arguments.of("PYRO:o@h:1\nx", "invalid uri"),
                // a bad location is reported before an empty tag, which Pyro does not mind
                Arguments.of("PYROMETA:a,,b@h:12x", "invalid port in uri, port=12x"));
    }

    /** Inputs Pyro accepts (or reads oddly) that we refuse on purpose; see the class javadoc. */
    static Stream<Arguments> errorsWherePyroIsMoreLenient() {
        return Stream.of(
                Arguments.of("PYRO:o@h:0", "invalid port in uri, port=0"),
                Arguments.of("PYRO:o@h:65536", "invalid port in uri, port=65536"),
                Arguments.of("PYRO:o@h:-5", "invalid port in uri, port=-5"),
                Arguments.of("PYRO:o@h:+5", "invalid port in uri, port=+5"),
                Arguments.of("PYRO:o@h: 5", "invalid port in uri, port= 5"),
                Arguments.of("PYRO:o@h:1_0", "invalid port in uri, port=1_0"),
                Arguments.of("PYRO:o@h:\u0663", "invalid port in uri, port=\u0663"),
                Arguments.of("PYRONAME:x@h:0", "invalid port in uri, port=0"),
                Arguments.of("PYRO:o@[::1]:12x", "invalid port in uri, port=12x"),
                Arguments.of("PYRO:o@[::1]x", "invalid uri (location)"),
                Arguments.of("PYRONAME:o@[::1]x", "invalid uri (location)"),
                Arguments.of("PYRO:o@[abc]:1", NUMERIC_IPV6),
                Arguments.of("PYRO:o@[1:2:3]:1", NUMERIC_IPV6),
                Arguments.of("PYRO:o@[1::2::3]:1", NUMERIC_IPV6),
                Arguments.of("PYRO:o@[12345::1]:1", NUMERIC_IPV6),
                Arguments.of("PYRO:o@:1", "invalid uri (location)"),
                Arguments.of("PYRONAME:o@:1", "invalid uri (location)"),
                Arguments.of("PYRO:o@my host:1", "invalid uri (location)"),
                Arguments.of("PYRO:o@a/b:1", "invalid uri (location)"),
                Arguments.of("PYRO:a@b@h:1", "invalid uri (location)"),
                Arguments.of("PYRO:o@./u:\0", "invalid uri (location)"),
                Arguments.of("PYRONAME:@h", "invalid uri"),
                Arguments.of("PYRONAME:a@", "invalid uri"),
                Arguments.of("PYROMETA:a,,b", "invalid uri"),
                Arguments.of("PYROMETA:,", "invalid uri"),
                Arguments.of("PYRO:o@h:1\n", "invalid uri"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource({"pyrosErrorTable", "moreErrorsPyroAgreesWith", "errorsWherePyroIsMoreLenient"})
    void refusesMalformedUrisWithPyrosMessage(String text, String message) {
        assertThatThrownBy(() -> PyroURI.parse(text))
                .isExactlyInstanceOf(PyroError.class)
                .hasMessage(message);
    }

    @Test
    void nullIsPyrosTypeErrorWhichIsAPyroError() {
        assertThatThrownBy(() -> PyroURI.parse(null))
                .isInstanceOf(TypeError.class)
                .isInstanceOf(PyroError.class)
                .hasMessage("uri parameter object is of wrong type");
    }

    @Test
    void objectPartRefusesEveryCharacterPythonCallsWhitespace() {
        String pythonSpaces = "\t\n\u000b\f\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2000\u2001\u2002\u2003"
                + "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";
        pythonSpaces.chars().forEach(c -> assertThatThrownBy(() -> PyroURI.parse("PYRO:a" + (char) c + "b@h:1"))
                .as("U+%04X", c)
                .hasMessage("invalid uri"));
        // a zero-width space is not whitespace to Python
        assertThat(PyroURI.parse("PYRO:a\u200bb@h:1").object()).isEqualTo("a\u200bb");
    }

    // ---- parsing and the canonical form

    @Test
    void directUriHasHostPortAndObjectId() {
        PyroURI uri = PyroURI.parse("PYRO:Pyro.Daemon@localhost:51234");

        assertThat(uri.protocol()).isEqualTo(Protocol.PYRO);
        assertThat(uri.object()).isEqualTo(PyroURI.DAEMON_NAME);
        assertThat(uri.host()).isEqualTo("localhost");
        assertThat(uri.port()).isEqualTo(51234);
        assertThat(uri.socketName()).isNull();
        assertThat(uri.isUnixSocket()).isFalse();
        assertThat(uri.metaTags()).isEmpty();
        assertThat(uri.location()).isEqualTo("localhost:51234");
        assertThat(uri).hasToString("PYRO:Pyro.Daemon@localhost:51234");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pyro:o@h:1", "Pyro:o@h:1", "pYrO:o@h:1", "PYRO:o@h:1"})
    void protocolIsCaseInsensitiveAndKeptUpperCase(String text) {
        assertThat(PyroURI.parse(text)).hasToString("PYRO:o@h:1");
        assertThat(PyroURI.parse("pyroname:x").protocol()).isEqualTo(Protocol.PYRONAME);
        assertThat(PyroURI.parse("PyRoMeTa:x").protocol()).isEqualTo(Protocol.PYROMETA);
    }

    @Test
    void nameWithHostButNoPortGetsTheNameServerPort() {
        assertThat(PyroURI.parse("pyroname:x@h")).hasToString("PYRONAME:x@h:9090");
        assertThat(PyroURI.parse("PYRONAME:x@h:").port()).isEqualTo(PyroURI.DEFAULT_NS_PORT);
        assertThat(PyroURI.parse("PYROMETA:t@h").location()).isEqualTo("h:9090");
        assertThat(PyroURI.parse("PYRONAME:x@h:1234").port()).isEqualTo(1234);
    }

    @Test
    void nameWithoutHostMeansDiscovery() {
        PyroURI uri = PyroURI.parse("PYRONAME:my.service");

        assertThat(uri.object()).isEqualTo("my.service");
        assertThat(uri.host()).isNull();
        assertThat(uri.port()).isZero();
        assertThat(uri.location()).isNull();
        assertThat(uri).hasToString("PYRONAME:my.service");
    }

    @Test
    void leadingZerosInThePortAreDroppedLikePyroDoes() {
        assertThat(PyroURI.parse("PYRO:o@h:007")).hasToString("PYRO:o@h:7");
    }

    @Test
    void objectPartMayHoldColonsAndDots() {
        assertThat(PyroURI.parse("PYRO::@h:1").object()).isEqualTo(":");
        assertThat(PyroURI.parse("PYRONAME:a.b:c").object()).isEqualTo("a.b:c");
    }

    // ---- IPv6

    @Test
    void ipv6HostIsBracketedInTextAndBareInHost() {
        PyroURI uri = PyroURI.parse("PYRO:o@[::1]:5");

        assertThat(uri.host()).isEqualTo("::1");
        assertThat(uri.port()).isEqualTo(5);
        assertThat(uri.location()).isEqualTo("[::1]:5");
        assertThat(uri.grpcTarget()).isEqualTo("[::1]:5");
        assertThat(uri).hasToString("PYRO:o@[::1]:5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "1::", "fe80::1%25", "2001:DB8:0:0:0:0:0:1", "1:2:3:4:5:6:7::", "a:b::c:d"})
    void wellFormedIpv6AddressesAreAccepted(String address) {
        assertThat(PyroURI.parse("PYRO:o@[" + address + "]:1").host()).isEqualTo(address);
        assertThat(PyroURI.direct("o", address, 1)).isEqualTo(PyroURI.parse("PYRO:o@[" + address + "]:1"));
    }

    @Test
    void ipv6NameServerHostGetsTheDefaultPort() {
        assertThat(PyroURI.parse("PYRONAME:x@[::1]")).hasToString("PYRONAME:x@[::1]:9090");
    }

    // ---- Unix domain sockets

    @Test
    void unixSocketNameMayHoldSpacesAndSlashes() {
        PyroURI uri = PyroURI.parse("PYRO:obj@./u:/tmp/my sock");

        assertThat(uri.isUnixSocket()).isTrue();
        assertThat(uri.socketName()).isEqualTo("/tmp/my sock");
        assertThat(uri.host()).isNull();
        assertThat(uri.port()).isZero();
        assertThat(uri.location()).isEqualTo("./u:/tmp/my sock");
        assertThat(uri).hasToString("PYRO:obj@./u:/tmp/my sock");
    }

    @Test
    void unixSocketTargetsAreGrpcUnixUrisThatDecodeBackToThePath() throws Exception {
        assertThat(PyroURI.unixSocket("o", "/run/pyro.sock").grpcTarget()).isEqualTo("unix:/run/pyro.sock");
        assertThat(PyroURI.unixSocket("o", "rel/pyro.sock").grpcTarget()).isEqualTo("unix:rel/pyro.sock");

        String spaced = PyroURI.parse("PYRO:o@./u:/tmp/my sock?#%").grpcTarget();
        assertThat(spaced).isEqualTo("unix:/tmp/my%20sock%3F%23%25");
        assertThat(new URI(spaced).getPath()).isEqualTo("/tmp/my sock?#%");

        String doubleSlash = PyroURI.unixSocket("o", "//x/s").grpcTarget();
        assertThat(new URI(doubleSlash).getAuthority()).isNull();
        assertThat(new URI(doubleSlash).getPath()).isEqualTo("//x/s");
    }

    @Test
    void abstractSocketNameStartsWithNulAndTargetsUnixAbstract() {
        PyroURI uri = PyroURI.parse("PYRO:o@./u:\0pyro-daemon");

        assertThat(uri.socketName()).isEqualTo("\0pyro-daemon");
        assertThat(uri.grpcTarget()).isEqualTo("unix-abstract:pyro-daemon");
        assertThat(PyroURI.unixSocket("o", "\0pyro-daemon")).isEqualTo(uri);
    }

    @Test
    void nameServerMayBeReachedOverAUnixSocket() {
        PyroURI uri = PyroURI.parse("PYRONAME:x@./u:ns.sock");

        assertThat(uri.socketName()).isEqualTo("ns.sock");
        assertThat(uri.port()).isZero();
    }

    // ---- PYROMETA

    @Test
    void metaTagsKeepFirstOrderWithoutDuplicates() {
        PyroURI uri = PyroURI.parse("PyRoMeTa:b,a,b@ns");

        assertThat(uri.metaTags()).containsExactly("b", "a");
        assertThat(uri.object()).isEqualTo("b,a");
        assertThat(uri).hasToString("PYROMETA:b,a@ns:9090");
    }

    @Test
    void metaUrisWithTheSameTagsInAnyOrderAreEqual() {
        PyroURI ab = PyroURI.parse("PYROMETA:a,b@ns:1");
        PyroURI ba = PyroURI.parse("PYROMETA:b,a@ns:1");

        assertThat(ab).isEqualTo(ba).hasSameHashCodeAs(ba);
        assertThat(ab).isNotEqualTo(PyroURI.parse("PYROMETA:a@ns:1"));
    }

    @Test
    void metaTagsAreUnmodifiable() {
        assertThatThrownBy(() -> PyroURI.parse("PYROMETA:a").metaTags().add("b"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void metaFactoryStripsTagsAndRefusesUnusableOnes() {
        PyroURI uri = PyroURI.meta(List.of(" weather ", "\u00a0eu\t", "weather"), "ns", 9091);

        assertThat(uri.metaTags()).containsExactly("weather", "eu");
        assertThat(uri).hasToString("PYROMETA:weather,eu@ns:9091");
        assertThat(PyroURI.meta(Set.of("x"))).hasToString("PYROMETA:x");

        assertThatThrownBy(() -> PyroURI.meta(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.meta(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.meta(List.of("a,b"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.meta(List.of("a b"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.meta(List.of("a@b"))).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- equality

    @Test
    void equalityFollowsProtocolObjectSocketHostAndPort() {
        PyroURI uri = PyroURI.parse("pyro:o@h:1");

        assertThat(uri).isEqualTo(PyroURI.direct("o", "h", 1)).hasSameHashCodeAs(PyroURI.direct("o", "h", 1));
        assertThat(uri).isNotEqualTo(PyroURI.direct("o", "h", 2));
        assertThat(uri).isNotEqualTo(PyroURI.direct("p", "h", 1));
        assertThat(uri).isNotEqualTo(PyroURI.direct("o", "H", 1));
        assertThat(uri).isNotEqualTo(PyroURI.parse("PYRONAME:o@h:1"));
        assertThat(PyroURI.parse("PYRONAME:x@h")).isEqualTo(PyroURI.name("x", "h", 9090));
        assertThat(PyroURI.parse("PYRONAME:x")).isNotEqualTo(PyroURI.parse("PYRONAME:x@h"));
        assertThat(PyroURI.unixSocket("o", "s")).isNotEqualTo(PyroURI.unixSocket("o", "t"));
        assertThat(uri).isNotEqualTo("PYRO:o@h:1");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PYRO:o@h:1", "PYRO:Pyro.NameServer@[fe80::1%25]:9090", "PYRO:o@./u:/tmp/a b", "PYRO:o@./u:\0abs",
        "PYRONAME:x", "PYRONAME:x@h:9090", "PYRONAME:x@./u:s", "PYROMETA:c,a,b", "PYROMETA:a@[::1]:2",
        "PYRO:\u00e9t\u00e9@h\u00f4te:1"})
    void canonicalFormParsesBackToAnEqualUri(String text) {
        PyroURI uri = PyroURI.parse(text);

        assertThat(uri).hasToString(text);
        assertThat(PyroURI.parse(uri.toString())).isEqualTo(uri);
    }

    // ---- factories

    @Test
    void factoriesBuildTheSameUrisAsParsing() {
        assertThat(PyroURI.direct("o", "::1", 5)).hasToString("PYRO:o@[::1]:5");
        assertThat(PyroURI.unixSocket("o", "/tmp/s")).hasToString("PYRO:o@./u:/tmp/s");
        assertThat(PyroURI.name(PyroURI.NAMESERVER_NAME)).hasToString("PYRONAME:Pyro.NameServer");
        assertThat(PyroURI.name("x", "ns", PyroURI.DEFAULT_NS_PORT)).isEqualTo(PyroURI.parse("PYRONAME:x@ns"));
        assertThat(PyroURI.meta(List.of("a", "b"), "::1", 9090)).isEqualTo(PyroURI.parse("PYROMETA:b,a@[::1]"));
    }

    @Test
    void factoriesRefuseArgumentsThatWouldNotRoundTrip() {
        assertThatThrownBy(() -> PyroURI.direct("o", "[::1]", 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without brackets");
        assertThatThrownBy(() -> PyroURI.direct("o", "h", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.direct("o", "h", 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.direct("o", "", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.direct("o", "./u", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.direct("o", "::g", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.direct("a@b", "h", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.direct("", "h", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.name("my name")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.unixSocket("o", "a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.unixSocket("o", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.direct(null, "h", 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> PyroURI.name("x", null, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void withObjectKeepsTheLocation() {
        PyroURI daemon = PyroURI.parse("PYRO:Pyro.Daemon@[::1]:4000");

        assertThat(daemon.withObject("obj_1")).hasToString("PYRO:obj_1@[::1]:4000");
        assertThat(PyroURI.unixSocket("a", "s").withObject("b")).isEqualTo(PyroURI.unixSocket("b", "s"));
        assertThatThrownBy(() -> daemon.withObject("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PyroURI.name("x").withObject("y")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void onlyDirectUrisHaveAGrpcTarget() {
        assertThat(PyroURI.direct("o", "example.org", 443).grpcTarget()).isEqualTo("example.org:443");
        assertThatThrownBy(() -> PyroURI.parse("PYRONAME:x@h").grpcTarget())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PyroURI.meta(List.of("a")).grpcTarget()).isInstanceOf(IllegalStateException.class);
    }

    // ---- hostile input

    @Test
    void megabyteInputsAreHandledInLinearTime() {
        String mb = "a".repeat(1 << 20);
        String colons = ":".repeat(1 << 20);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(PyroURI.parse("PYRO:" + mb + "@h:1").object()).hasSize(1 << 20);
            assertThat(PyroURI.parse("PYRO:o@./u:" + mb).socketName()).hasSize(1 << 20);
            assertThatThrownBy(() -> PyroURI.parse("PYRO" + mb)).hasMessage("invalid uri");
            assertThatThrownBy(() -> PyroURI.parse("PYRO" + mb + ":o@h:1")).hasMessage("invalid uri (protocol)");
            assertThatThrownBy(() -> PyroURI.parse("PYRO:" + "@".repeat(1 << 20))).hasMessage("invalid uri");
            assertThatThrownBy(() -> PyroURI.parse("PYRO:" + mb + " @h:1")).hasMessage("invalid uri");
            assertThatThrownBy(() -> PyroURI.parse("PYRO:o@[" + colons + "]:1")).hasMessage(NUMERIC_IPV6);
            assertThatThrownBy(() -> PyroURI.parse("PYRO:o@h" + colons)).hasMessageStartingWith("invalid port");
            assertThatThrownBy(() -> PyroURI.parse("PYRO:o@" + mb)).hasMessage("invalid port in uri, port=None");
        });
    }

    @Test
    void hugePortTextIsShortenedInTheMessage() {
        assertThatThrownBy(() -> PyroURI.parse("PYRO:o@h:" + "9".repeat(1 << 20)))
                .hasMessage("invalid port in uri, port=" + "9".repeat(64) + "...");
    }
}
