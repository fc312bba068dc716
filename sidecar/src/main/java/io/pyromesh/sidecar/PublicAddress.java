package io.pyromesh.sidecar;

import io.pyromesh.uri.PyroURI;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;

/**
 * The {@code host:port} the sidecar registers its apps' objects under: what callers on other hosts
 * connect to. That is the NAT address if one is given; else the address the sidecar listens on; and for
 * a sidecar listening on every interface, the address of the interface that faces the name server (the
 * one other hosts share a network with), else of the first interface that is up and not loopback.
 */
final class PublicAddress {
    private PublicAddress() {}

    /**
     * @param natPort 0: the port the sidecar listens on
     * @param nameServer where the name server is, or null if it is not known
     */
    static String of(String host, int port, String natHost, int natPort, PyroURI nameServer) {
        int publishedPort = natPort == 0 ? port : natPort;
        if (natHost != null) {
            return location(natHost, publishedPort);
        }
        if (!isWildcard(host)) {
            return location(host, port);
        }
        String facing = facing(nameServer).or(PublicAddress::firstInterface).orElse("127.0.0.1");
        return location(facing, port);
    }

    private static boolean isWildcard(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static String location(String host, int port) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return PyroURI.direct("x", bare, port).location();
    }

    /** The local address a packet to the name server would leave from (no packet is sent). */
    private static Optional<String> facing(PyroURI nameServer) {
        if (nameServer == null || nameServer.isUnixSocket()) {
            return Optional.empty();
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(nameServer.host(), nameServer.port()));
            InetAddress local = probe.getLocalAddress();
            return local == null || local.isAnyLocalAddress() ? Optional.empty() : Optional.of(local.getHostAddress());
        } catch (IOException | RuntimeException unroutable) {
            return Optional.empty();
        }
    }

    private static Optional<String> firstInterface() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp() && !nic.isLoopback()) {
                    for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                        if (address instanceof Inet4Address) {
                            return Optional.of(address.getHostAddress());
                        }
                    }
                }
            }
        } catch (SocketException unreadable) {
            // fall back to loopback
        }
        return Optional.empty();
    }
}
