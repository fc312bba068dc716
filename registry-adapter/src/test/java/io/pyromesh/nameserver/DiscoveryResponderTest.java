package io.pyromesh.nameserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.errors.CommunicationError;
import io.pyromesh.internal.Discovery;
import io.pyromesh.uri.PyroURI;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The responder on loopback, queried by {@link Discovery} with unicast to 127.0.0.1. */
@Timeout(60)
class DiscoveryResponderTest {
    /** What a name server bound to 0.0.0.0 answers: its URI with the address the requester can reach. */
    private static final Function<InetAddress, String> NAME_SERVER =
            facing -> "PYRO:Pyro.NameServer@" + facing.getHostAddress() + ":9090";

    private static Optional<PyroURI> query(int port) {
        return Discovery.query(List.of("127.0.0.1"), null, port, Discovery.TIMEOUT, Discovery.ROUNDS);
    }

    @Test
    void answersWithTheUriForTheAddressFacingTheRequester() {
        try (DiscoveryResponder responder = DiscoveryResponder.start("127.0.0.1", 0, null, NAME_SERVER)) {
            assertThat(responder.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");

            assertThat(query(responder.address().getPort()))
                    .contains(PyroURI.parse("PYRO:Pyro.NameServer@127.0.0.1:9090"));
        }
    }

    @Test
    void listensOnAllInterfacesWithoutABindHost() {
        try (DiscoveryResponder responder = DiscoveryResponder.start(null, 0, "239.255.90.91", NAME_SERVER)) {
            assertThat(responder.address().getAddress().isAnyLocalAddress()).isTrue();

            assertThat(query(responder.address().getPort()))
                    .contains(PyroURI.parse("PYRO:Pyro.NameServer@127.0.0.1:9090"));
        }
    }

    @Test
    void answersOnlyExactRequestsAndSurvivesGarbage() throws IOException {
        try (DiscoveryResponder responder = DiscoveryResponder.start("127.0.0.1", 0, null, NAME_SERVER);
             DatagramChannel client = DatagramChannel.open(StandardProtocolFamily.INET)) {
            client.bind(new InetSocketAddress("127.0.0.1", 0));
            List<byte[]> garbage = List.of(new byte[0], bytes("get_nsuri"), bytes("GET_NSURI\n"), bytes("GET_NSUR"),
                    bytes("GET_NSURI".repeat(20)), new byte[65_000], bytes("\u0000GET_NSURI"));
            for (byte[] datagram : garbage) {
                client.send(ByteBuffer.wrap(datagram), responder.address());
            }
            client.send(ByteBuffer.wrap(bytes(Discovery.REQUEST)), responder.address());

            // loopback keeps the order and the responder works through datagrams one by one, so a reply
            // to any of the garbage would arrive before the reply to the real request
            assertThat(repliesUntilQuiet(client)).containsExactly("PYRO:Pyro.NameServer@127.0.0.1:9090");
            assertThat(query(responder.address().getPort())).isPresent();
        }
    }

    @Test
    void survivesAnAnswerFunctionThatFails() {
        Function<InetAddress, String> failsOnce = new Function<>() {
            private boolean failed;

            @Override
            public String apply(InetAddress facing) {
                if (!failed) {
                    failed = true;
                    throw new IllegalStateException("not ready yet");
                }
                return NAME_SERVER.apply(facing);
            }
        };
        try (DiscoveryResponder responder = DiscoveryResponder.start("127.0.0.1", 0, null, failsOnce)) {
            // the first round goes unanswered, the second is answered
            assertThat(query(responder.address().getPort())).isPresent();
        }
    }

    @Test
    void closeStopsAnsweringAndCanBeRepeated() {
        DiscoveryResponder responder = DiscoveryResponder.start("127.0.0.1", 0, null, NAME_SERVER);
        int port = responder.address().getPort();
        assertThat(query(port)).isPresent();

        responder.close();
        responder.close();

        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().equals("pyromesh-discovery-responder-" + port));
        assertThat(query(port)).isEmpty();
    }

    @Test
    void aQueryNobodyAnswersReturnsEmptyAfterItsRounds() throws IOException {
        // a bound socket that never answers keeps the port from being taken by anyone else meanwhile
        try (DatagramChannel silent = DatagramChannel.open(StandardProtocolFamily.INET)) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) silent.getLocalAddress()).getPort();
            long start = System.nanoTime();

            assertThat(query(port)).isEmpty();
            // 3 rounds of 0.7 s; the bound is generous because speed is not what is tested here
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        }
    }

    @Test
    void refusesWhatItCannotServe() {
        assertThatThrownBy(() -> DiscoveryResponder.start("::1", 0, null, NAME_SERVER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("IPv4 only");
        assertThatThrownBy(() -> DiscoveryResponder.start(null, 0, "10.0.0.1", NAME_SERVER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multicast");
        assertThatThrownBy(() -> DiscoveryResponder.start("198.51.100.254", 0, null, NAME_SERVER))
                .isInstanceOf(CommunicationError.class).hasMessageContaining("not an address of this host");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The replies {@code client} receives until none has come for a second. */
    private static List<String> repliesUntilQuiet(DatagramChannel client) throws IOException {
        List<String> replies = new ArrayList<>();
        client.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            client.register(selector, SelectionKey.OP_READ);
            ByteBuffer reply = ByteBuffer.allocate(Discovery.MAX_DATAGRAM + 1);
            while (selector.select(1000) > 0) {
                selector.selectedKeys().clear();
                while (client.receive(reply.clear()) != null) {
                    replies.add(StandardCharsets.ISO_8859_1.decode(reply.flip()).toString());
                }
            }
        }
        return replies;
    }
}
