package io.pyromesh.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Loopback ports for the processes a benchmark starts that cannot choose one and say which. */
final class LocalPorts {
    private LocalPorts() {}

    /** A port free on loopback now (another process may take it before the one it is meant for binds it). */
    static int free() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /**
     * Waits until {@code process} accepts connections on 127.0.0.1:{@code port}, polling every 2 ms (a
     * start-up is timed by it); false if the process ended or {@code timeout} passed first.
     */
    static boolean awaitListening(Process process, int port, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 100);
                return true;
            } catch (IOException notYet) {
                Thread.sleep(2);
            }
        }
        return false;
    }
}
