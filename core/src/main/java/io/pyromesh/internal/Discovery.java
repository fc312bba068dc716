package io.pyromesh.internal;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.uri.PyroURI;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The client side of name-server discovery: asks the local network where the name server is. This is the
 * broadcast step of Pyro's {@code locate_ns} (PYRO-SEMANTICS.md section 4.3), plus a multicast query.
 *
 * <h2>Protocol</h2>
 * <ul>
 *   <li><b>Transport:</b> UDP over IPv4 to port {@code NS_BCPORT} (default 9091).</li>
 *   <li><b>Request:</b> one datagram whose payload is exactly the 9 ASCII bytes {@code GET_NSURI}.</li>
 *   <li><b>Targets:</b> every {@code BROADCAST_ADDRS} entry (default {@code <broadcast>, 0.0.0.0}) and the
 *       multicast group {@code NS_MCGROUP} (default 239.255.90.91). {@code <broadcast>} means 255.255.255.255
 *       and also the broadcast address of every interface that is up, because a host without a default
 *       route cannot send to 255.255.255.255 at all. {@code 0.0.0.0} is sent as it is; Linux delivers it to
 *       the local host, as for Pyro. In each round the group is sent to once through each up,
 *       multicast-capable IPv4 interface ({@link #multicastInterfaces()}), with multicast TTL 1 so that the
 *       request stays on the local link, as broadcasts do.</li>
 *   <li><b>Reply:</b> a unicast datagram back to the requesting socket, carrying the name server's URI as
 *       ISO-8859-1 text, e.g. {@code PYRO:Pyro.NameServer@192.168.1.5:9090}, at most 100 bytes. A responder
 *       bound to all interfaces names its address on the interface facing the requester.</li>
 *   <li><b>Timing:</b> up to 3 rounds; each sends the request to every target and then waits 0.7 s.</li>
 * </ul>
 *
 * <p><b>Compatibility with Pyro 5:</b> the request and reply are Pyro's, so Pyro's {@code locate_ns} finds a
 * Pyromesh responder and this class finds a Pyro name server by broadcast. The multicast group is a
 * Pyromesh addition that a Pyro responder does not listen on.
 *
 * <p><b>Untrusted replies:</b> anyone on the link can send a datagram to the querying socket, so a reply is
 * taken only if it is at most 100 bytes (so that a longer one is never cut short into another URI) and parses
 * as a {@code PYRO:} URI (a {@code PYRONAME:} reply would make the name-server lookup depend on a name
 * server). Anything else is ignored, and the wait for a proper reply goes on.
 */
public final class Discovery {
    /** The request datagram's payload. */
    public static final String REQUEST = "GET_NSURI";
    /** The {@code BROADCAST_ADDRS} entry meaning "every IPv4 broadcast address". */
    public static final String BROADCAST = "<broadcast>";
    /** The longest request or reply, in bytes, that either side reads. */
    public static final int MAX_DATAGRAM = 100;
    /** How long each round waits for a reply. */
    public static final Duration TIMEOUT = Duration.ofMillis(700);
    /** How many times the request is sent before giving up. */
    public static final int ROUNDS = 3;
    /** The IP time-to-live of multicast requests: the local link only. */
    public static final int MULTICAST_TTL = 1;

    private static final Logger LOG = Logger.getLogger(Discovery.class.getName());
    private static final String LIMITED_BROADCAST = "255.255.255.255";

    private Discovery() {}

    /**
     * Discovers the name server with the configured {@code BROADCAST_ADDRS} and {@code NS_MCGROUP}, using
     * {@link #TIMEOUT} and {@link #ROUNDS}. Returns empty at once when {@code PREFER_IP_VERSION} is 6, as
     * Pyro does, since IPv6 has no broadcast.
     *
     * @param port the responder port: {@code NS_BCPORT} or the caller's override
     * @return the first acceptable reply, or empty if none came
     * @throws CommunicationError if no UDP socket can be opened
     */
    public static Optional<PyroURI> query(PyroConfig config, int port) {
        if (config.preferIpVersion() == 6) {
            return Optional.empty();
        }
        return query(config.broadcastAddrs(), config.nsMcGroup(), port, TIMEOUT, ROUNDS);
    }

    /**
     * Discovers the name server with explicit targets.
     *
     * @param addresses where to send the request besides the group: {@link #BROADCAST}, IPv4 addresses or
     *     host names; entries that do not resolve to IPv4 addresses, or cannot be sent to, are skipped
     * @param multicastGroup an IPv4 multicast group, or {@code null} for no multicast; anything else is
     *     skipped, as an IPv6 {@code NS_MCGROUP} is
     * @param port the responder port, 1..65535
     * @param timeout how long each round waits for a reply
     * @param rounds how many times the request is sent
     * @return the first acceptable reply, or empty if none came
     * @throws CommunicationError if no UDP socket can be opened
     */
    public static Optional<PyroURI> query(List<String> addresses, String multicastGroup, int port,
                                          Duration timeout, int rounds) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Set<InetSocketAddress> targets = targets(addresses, port);
        Optional<InetSocketAddress> group = Optional.ofNullable(multicastGroup)
                .flatMap(Discovery::resolve)
                .filter(InetAddress::isMulticastAddress)
                .map(address -> new InetSocketAddress(address, port));
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
             Selector selector = Selector.open()) {
            channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, MULTICAST_TTL);
            channel.bind(new InetSocketAddress(0));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            List<NetworkInterface> multicastVia = group.isPresent() ? multicastInterfaces() : List.of();
            for (int round = 0; round < rounds; round++) {
                targets.forEach(target -> send(channel, target));
                group.ifPresent(target -> multicast(channel, target, multicastVia));
                Optional<PyroURI> reply = awaitReply(channel, selector, timeout);
                if (reply.isPresent()) {
                    return reply;
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new CommunicationError("cannot query for the name server: " + e.getMessage(), e);
        }
    }

    /**
     * The interfaces that are up, multicast-capable and have an IPv4 address: where {@link #query} sends to
     * the group, and where a responder joins it. Empty when the interfaces cannot be listed.
     */
    public static List<NetworkInterface> multicastInterfaces() {
        List<NetworkInterface> found = new ArrayList<>();
        for (NetworkInterface nif : upInterfaces()) {
            try {
                if (nif.supportsMulticast() && nif.inetAddresses().anyMatch(a -> a instanceof Inet4Address)) {
                    found.add(nif);
                }
            } catch (SocketException e) {
                LOG.log(Level.FINE, "skipping interface " + nif.getName(), e);
            }
        }
        return found;
    }

    private static Set<InetSocketAddress> targets(List<String> addresses, int port) {
        // a set, because '<broadcast>' and an explicit entry may name the same address
        Set<InetSocketAddress> targets = new LinkedHashSet<>();
        for (String address : addresses) {
            if (BROADCAST.equals(address)) {
                targets.add(new InetSocketAddress(LIMITED_BROADCAST, port));   // a literal: no lookup
                interfaceBroadcasts().forEach(broadcast -> targets.add(new InetSocketAddress(broadcast, port)));
            } else {
                resolve(address).ifPresent(ip -> targets.add(new InetSocketAddress(ip, port)));
            }
        }
        return targets;
    }

    private static List<InetAddress> interfaceBroadcasts() {
        List<InetAddress> found = new ArrayList<>();
        for (NetworkInterface nif : upInterfaces()) {
            for (InterfaceAddress address : nif.getInterfaceAddresses()) {
                if (address.getBroadcast() != null) {
                    found.add(address.getBroadcast());
                }
            }
        }
        return found;
    }

    private static List<NetworkInterface> upInterfaces() {
        try {
            return NetworkInterface.networkInterfaces().filter(nif -> {
                try {
                    return nif.isUp();
                } catch (SocketException e) {
                    return false;
                }
            }).toList();
        } catch (SocketException e) {
            LOG.log(Level.FINE, "cannot list network interfaces", e);
            return List.of();
        }
    }

    private static Optional<InetAddress> resolve(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (address instanceof Inet4Address) {
                    return Optional.of(address);
                }
            }
            LOG.fine(() -> "discovery skips " + host + ": no IPv4 address");
        } catch (UnknownHostException e) {
            LOG.log(Level.FINE, "discovery skips " + host, e);
        }
        return Optional.empty();
    }

    private static void multicast(DatagramChannel channel, InetSocketAddress group,
                                  List<NetworkInterface> interfaces) {
        if (interfaces.isEmpty()) {
            send(channel, group);   // the routing table may still know a way
        }
        for (NetworkInterface nif : interfaces) {
            try {
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
                send(channel, group);
            } catch (IOException e) {
                LOG.log(Level.FINE, "cannot multicast through " + nif.getName(), e);
            }
        }
    }

    private static void send(DatagramChannel channel, InetSocketAddress target) {
        try {
            channel.send(ByteBuffer.wrap(REQUEST.getBytes(StandardCharsets.ISO_8859_1)), target);
        } catch (IOException e) {
            // e.g. "Network is unreachable" for 255.255.255.255 on a host without a default route;
            // the other targets may still work, so this one is skipped like Pyro skips EADDRNOTAVAIL
            LOG.log(Level.FINE, "cannot send the discovery request to " + target, e);
        }
    }

    private static Optional<PyroURI> awaitReply(DatagramChannel channel, Selector selector, Duration timeout)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // one byte more than accepted, to tell a reply of exactly MAX_DATAGRAM bytes from a truncated one
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM + 1);
        for (long left = timeout.toMillis(); left > 0;
             left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
            selector.select(left);
            selector.selectedKeys().clear();
            while (channel.receive(buffer.clear()) != null) {
                Optional<PyroURI> uri = nameServerUri(buffer.flip());
                if (uri.isPresent()) {
                    return uri;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<PyroURI> nameServerUri(ByteBuffer reply) {
        String text = StandardCharsets.ISO_8859_1.decode(reply).toString();
        if (text.length() <= MAX_DATAGRAM) {
            try {
                PyroURI uri = PyroURI.parse(text);
                if (uri.protocol() == PyroURI.Protocol.PYRO) {
                    return Optional.of(uri);
                }
            } catch (PyroError notAUri) {
                // ignored below, like every other unacceptable reply
            }
        }
        // the text itself is not logged: it may be anything, control characters included
        LOG.fine(() -> "discovery ignores a reply of " + reply.limit() + " bytes");
        return Optional.empty();
    }
}
