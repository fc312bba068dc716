package io.pyromesh.testing;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TCP ports on 127.0.0.1 that are free now, for a program a test starts on a port it must know
 * beforehand (a restart on the same port, say). They are picked below the kernel's ephemeral range
 * ({@code /proc/sys/net/ipv4/ip_local_port_range}): a port the kernel handed out for {@code bind(0)}
 * comes from that range, and may become the local end of some process's outgoing connection before the
 * program binds it ("Address already in use").
 */
public final class FreePorts {
    private static final int LOWEST = 10_000;

    private FreePorts() {}

    /** One free port. */
    public static int one() throws IOException {
        return distinct(1)[0];
    }

    /** {@code count} distinct free ports (held together while chosen). */
    public static int[] distinct(int count) throws IOException {
        int below = ephemeralStart();
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0, attempts = 0; i < count; attempts++) {
                if (attempts > 1_000) {
                    throw new IOException("no free port between " + LOWEST + " and " + below);
                }
                int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
                try {
                    held.add(new ServerSocket(port, 1, InetAddress.getLoopbackAddress()));
                    ports[i++] = port;
                } catch (BindException taken) {
                    // someone listens there: try another
                }
            }
            return ports;
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    private static int ephemeralStart() {
        try {
            int start = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
            return Math.max(start, LOWEST + 1_000);
        } catch (IOException | RuntimeException unreadable) {
            return 32_768;   // Linux's default
        }
    }
}
