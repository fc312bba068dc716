package io.pyromesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.uri.PyroURI;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The querying side against a scripted responder on loopback, which plays a hostile LAN: it answers each
 * request with the given datagrams, in order.
 */
class DiscoveryTest {
    private static final String NS_URI = "PYRO:Pyro.NameServer@127.0.0.1:9090";

    @Test
    void sendsToTheConfiguredAddressesAndReturnsTheReply() throws Exception {
        try (ScriptedResponder responder = new ScriptedResponder(NS_URI)) {
            PyroConfig config = PyroConfig.defaults().with("BROADCAST_ADDRS", "127.0.0.1");

            assertThat(Discovery.query(config, responder.port())).contains(PyroURI.parse(NS_URI));
            assertThat(responder.requests()).isEqualTo(1);
        }
    }

    @Test
    void ignoresRepliesThatAreNotPyroUrisAndWaitsForOneThatIs() throws Exception {
        String truncatedWouldParse = "PYRO:Pyro.NameServer@" + "h".repeat(76) + ":9090";   // 102 bytes
        try (ScriptedResponder responder = new ScriptedResponder(
                "\u0000\u00ff garbage", "", "GET_NSURI", "PYRONAME:Pyro.NameServer", truncatedWouldParse, NS_URI)) {
            assertThat(Discovery.query(List.of("127.0.0.1"), null, responder.port(), Discovery.TIMEOUT, 1))
                    .contains(PyroURI.parse(NS_URI));
        }
    }

    @Test
    void givesUpAfterTheRoundsWhenOnlyGarbageComes() throws Exception {
        try (ScriptedResponder responder = new ScriptedResponder("not a uri")) {
            assertThat(Discovery.query(List.of("127.0.0.1"), null, responder.port(), Discovery.TIMEOUT, 3))
                    .isEmpty();
            assertThat(responder.requests()).isEqualTo(3);
        }
    }

    @Test
    void skipsAddressesThatDoNotResolveOrAreNotIpv4() throws Exception {
        try (ScriptedResponder responder = new ScriptedResponder(NS_URI)) {
            List<String> addresses = List.of("no-such-host.invalid", "::1", "127.0.0.1");

            assertThat(Discovery.query(addresses, null, responder.port(), Discovery.TIMEOUT, 1))
                    .contains(PyroURI.parse(NS_URI));
        }
    }

    @Test
    void isSkippedWhenIpv6IsPreferredAsInPyro() throws Exception {
        try (ScriptedResponder responder = new ScriptedResponder(NS_URI)) {
            PyroConfig config = PyroConfig.defaults().with("BROADCAST_ADDRS", "127.0.0.1").with("PREFER_IP_VERSION", 6);

            assertThat(Discovery.query(config, responder.port())).isEmpty();
            assertThat(responder.requests()).isZero();
        }
    }

    /** Answers every {@code GET_NSURI} on a loopback port with the given replies, one datagram each. */
    private static final class ScriptedResponder implements AutoCloseable {
        private final DatagramChannel channel;
        private final AtomicInteger requests = new AtomicInteger();
        private final Thread thread;

        ScriptedResponder(String... replies) throws IOException {
            channel = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
            thread = new Thread(() -> serve(replies), "scripted-responder");
            thread.start();
        }

        int port() throws IOException {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }

        int requests() {
            return requests.get();
        }

        private void serve(String... replies) {
            ByteBuffer request = ByteBuffer.allocate(100);
            try {
                while (true) {
                    SocketAddress sender = channel.receive(request.clear());
                    if (StandardCharsets.ISO_8859_1.decode(request.flip()).toString().equals(Discovery.REQUEST)) {
                        requests.incrementAndGet();
                        for (String reply : replies) {
                            channel.send(ByteBuffer.wrap(reply.getBytes(StandardCharsets.ISO_8859_1)), sender);
                        }
                    }
                }
            } catch (ClosedChannelException closed) {
                // the test is over
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
