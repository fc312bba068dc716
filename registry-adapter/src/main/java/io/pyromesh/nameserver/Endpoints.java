package io.pyromesh.nameserver;

import io.pyromesh.uri.PyroURI;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/** Whether anything listens at a {@code PYRO:} URI's endpoint: a plain connect, as Pyro's autoclean does. */
final class Endpoints {
    private Endpoints() {}

    static boolean reachable(PyroURI uri, Duration timeout) {
        if (uri.isUnixSocket()) {
            if (uri.socketName().startsWith("\0")) {
                return true; // Java cannot connect to Linux abstract sockets; never clean what we cannot test
            }
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(uri.socketName()))) {
                return channel.isConnected();
            } catch (IOException | RuntimeException refused) {
                return false;
            }
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.host(), uri.port()), (int) Math.max(1, timeout.toMillis()));
            return true;
        } catch (IOException | RuntimeException unreachable) {
            return false;
        }
    }
}
