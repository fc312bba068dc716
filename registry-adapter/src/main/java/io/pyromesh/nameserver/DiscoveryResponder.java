package io.pyromesh.nameserver;

import io.pyromesh.errors.CommunicationError;
import io.pyromesh.internal.Discovery;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The name server's side of discovery: answers {@code GET_NSURI} datagrams with the name server's URI, so
 * that {@link Discovery#query} (and Pyro's {@code locate_ns}) find it.
 *
 * <h2>Protocol</h2>
 * <ul>
 *   <li><b>Request:</b> a UDP/IPv4 datagram to port {@code NS_BCPORT} (default 9091), by broadcast, by
 *       multicast to the group {@code NS_MCGROUP} (default 239.255.90.91, sent with TTL 1) or by unicast,
 *       whose payload is exactly the 9 ASCII bytes {@code GET_NSURI}. At most 100 bytes of a datagram are
 *       read; every other datagram is ignored without an answer.</li>
 *   <li><b>Reply:</b> one datagram, from the responder's port to the requester's address and port, holding
 *       {@code answer.apply(facing)} encoded as ISO-8859-1, e.g. {@code PYRO:Pyro.NameServer@10.0.0.5:9090}.
 *       {@code facing} is this host's address on the route to the requester (the local address a UDP
 *       socket connected to the requester gets), which a name server bound to 0.0.0.0 puts in its URI, as
 *       Pyro does. An answer longer than 100 bytes is not sent, since clients ignore or truncate it.</li>
 * </ul>
 *
 * <h2>Sockets</h2>
 * One IPv4 {@link DatagramChannel}, always bound to the wildcard address: Linux delivers broadcasts and
 * multicasts only to sockets bound to the wildcard (or to that very destination address). It has
 * {@code SO_REUSEADDR}, so several responders can share a port; each gets every broadcast and multicast
 * request, but a unicast request reaches only one of them. It joins the group at start on every
 * {@linkplain Discovery#multicastInterfaces() up, multicast-capable interface}; interfaces that come up
 * later are not joined.
 *
 * <p><b>A specific {@code bindHost}</b> restricts the responder to that address. Java cannot tell which
 * address a received datagram was sent to, so instead of binding to it (as Pyro's {@code --bchost} does,
 * which then receives only datagrams sent to that very address) the responder answers only requesters whose
 * facing address is {@code bindHost}, that is, requesters on the networks that address belongs to, and
 * joins the group only on that address's interface.
 */
public final class DiscoveryResponder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DiscoveryResponder.class.getName());
    private static final byte[] REQUEST = Discovery.REQUEST.getBytes(StandardCharsets.ISO_8859_1);
    private static final long STOP_WAIT_MILLIS = 2000;

    private final DatagramChannel channel;
    private final InetAddress only;
    private final Function<InetAddress, String> answer;
    private final InetSocketAddress address;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DiscoveryResponder(DatagramChannel channel, InetAddress only, Function<InetAddress, String> answer)
            throws IOException {
        this.channel = channel;
        this.only = only;
        this.answer = answer;
        InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
        this.address = only == null ? bound : new InetSocketAddress(only, bound.getPort());
        this.thread = new Thread(this::serve, "pyromesh-discovery-responder-" + bound.getPort());
        thread.setDaemon(true);
    }

    /**
     * Starts answering discovery requests in a daemon thread.
     *
     * @param bindHost the IPv4 address or host name to answer for; {@code null}, {@code ""} or
     *     {@code 0.0.0.0} for all interfaces
     * @param port the UDP port, usually {@code NS_BCPORT}; 0 picks a free one (see {@link #address()})
     * @param multicastGroup the IPv4 multicast group to join as well, usually {@code NS_MCGROUP}; {@code null}
     *     for none
     * @param answer gives the reply text for the local address facing a requester; called on the
     *     responder's thread
     * @throws IllegalArgumentException for an IPv6 {@code bindHost} or a group that is not IPv4 multicast
     * @throws CommunicationError if {@code bindHost} is not an address of this host or the port cannot be bound
     */
    public static DiscoveryResponder start(String bindHost, int port, String multicastGroup,
                                           Function<InetAddress, String> answer) {
        Objects.requireNonNull(answer, "answer");
        String where = (bindHost == null || bindHost.isEmpty() ? "0.0.0.0" : bindHost) + ":" + port;
        InetAddress group = multicastGroup == null ? null : group(multicastGroup);
        DatagramChannel channel = null;
        try {
            InetAddress only = localAddress(bindHost);
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(port));
            if (group != null) {
                join(channel, group, only);
            }
            DiscoveryResponder responder = new DiscoveryResponder(channel, only, answer);
            responder.thread.start();
            return responder;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CommunicationError("cannot listen for discovery requests on " + where + ": " + e.getMessage(), e);
        }
    }

    /** The address requests are answered on: the wildcard address, or {@code bindHost}, with the bound port. */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * Stops answering and releases the port; later calls do nothing. Nothing is answered after this
     * returns, and the responder thread has ended unless an {@code answer} call is stuck.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(channel);   // wakes the thread out of receive()
        if (Thread.currentThread() != thread) {
            try {
                thread.join(STOP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void serve() {
        // a request is 9 bytes; reading no more than Pyro does keeps big datagrams cheap
        ByteBuffer datagram = ByteBuffer.allocate(Discovery.MAX_DATAGRAM);
        while (true) {
            InetSocketAddress sender;
            try {
                sender = (InetSocketAddress) channel.receive(datagram.clear());
            } catch (ClosedChannelException closedByClose) {
                return;
            } catch (IOException e) {
                LOG.log(Level.FINE, "discovery receive failed", e);
                continue;
            }
            if (isRequest(datagram.flip())) {
                respond(sender);
            } else {
                LOG.fine(() -> "ignoring a datagram that is not a discovery request, from " + sender);
            }
        }
    }

    private static boolean isRequest(ByteBuffer datagram) {
        return datagram.equals(ByteBuffer.wrap(REQUEST));
    }

    private void respond(InetSocketAddress sender) {
        try {
            InetAddress facing = facing(sender);
            if (only != null && !only.equals(facing)) {
                LOG.fine(() -> "not answering " + sender + ", which is reached through " + facing);
                return;
            }
            Optional<byte[]> reply = reply(facing);
            if (reply.isPresent()) {
                channel.send(ByteBuffer.wrap(reply.get()), sender);
            }
        } catch (IOException | RuntimeException e) {
            // the sender cannot be answered (no route back, a forged source address or port 0): the
            // datagram is dropped like any other malformed one
            LOG.log(Level.FINE, "cannot answer " + sender, e);
        }
    }

    /** The answer for {@code facing}, or empty if there is none to send: a warning, as the caller's code is wrong. */
    private Optional<byte[]> reply(InetAddress facing) {
        byte[] text;
        try {
            text = answer.apply(facing).getBytes(StandardCharsets.ISO_8859_1);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the discovery answer function failed", e);
            return Optional.empty();
        }
        if (text.length > Discovery.MAX_DATAGRAM) {
            LOG.warning(() -> "discovery answer longer than " + Discovery.MAX_DATAGRAM + " bytes, not sent");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    /** This host's address on the route to {@code peer}; connecting a UDP socket sends nothing. */
    private static InetAddress facing(InetSocketAddress peer) throws IOException {
        try (DatagramChannel probe = DatagramChannel.open(StandardProtocolFamily.INET)) {
            probe.connect(peer);
            return ((InetSocketAddress) probe.getLocalAddress()).getAddress();
        }
    }

    private static InetAddress localAddress(String bindHost) throws IOException {
        if (bindHost == null || bindHost.isEmpty()) {
            return null;
        }
        InetAddress host = InetAddress.getByName(bindHost);
        if (!(host instanceof Inet4Address)) {
            throw new IllegalArgumentException("discovery is IPv4 only, not for " + bindHost);
        }
        if (host.isAnyLocalAddress()) {
            return null;
        }
        if (NetworkInterface.getByInetAddress(host) == null) {
            throw new SocketException("not an address of this host");
        }
        return host;
    }

    private static InetAddress group(String multicastGroup) {
        try {
            InetAddress group = InetAddress.getByName(multicastGroup);
            if (group instanceof Inet4Address && group.isMulticastAddress()) {
                return group;
            }
        } catch (UnknownHostException e) {
            // reported below
        }
        throw new IllegalArgumentException("not an IPv4 multicast group: " + multicastGroup);
    }

    private static void join(DatagramChannel channel, InetAddress group, InetAddress only) {
        for (NetworkInterface nif : Discovery.multicastInterfaces()) {
            if (only == null || nif.inetAddresses().anyMatch(only::equals)) {
                try {
                    channel.join(group, nif);
                } catch (IOException e) {
                    LOG.log(Level.FINE, "cannot join " + group + " on " + nif.getName(), e);
                }
            }
        }
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing the discovery socket failed", e);
            }
        }
    }
}
