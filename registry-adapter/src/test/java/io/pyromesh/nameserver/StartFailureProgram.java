package io.pyromesh.nameserver;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.testing.TestHosts;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Starts a name server whose discovery port another program holds, on a {@link TestHosts} host (discovery
 * runs only off loopback), and prints what the failed start left behind:
 *
 * <pre>
 * failed: TYPE: MESSAGE          how the start failed
 * port: free|taken               whether the name server's TCP port can be bound again
 * store files open: N            descriptors of this process still open on the SQLite file
 * threads: [NAMES]               Pyromesh threads still alive (none expected)
 * </pre>
 *
 * Arguments: the host's address, the SQLite file.
 */
final class StartFailureProgram {
    private StartFailureProgram() {}

    public static void main(String[] args) throws Exception {
        InetAddress host = InetAddress.getByName(args[0]);
        Path database = Path.of(args[1]);
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, host)) {
            port = probe.getLocalPort();
        }
        try (DatagramSocket busy = new DatagramSocket(null)) {
            busy.setReuseAddress(false); // so that the responder's SO_REUSEADDR does not let it share the port
            busy.bind(new InetSocketAddress(0));
            NameServerDaemon.builder().config(PyroConfig.defaults()).host(args[0]).port(port).bcPort(busy.getLocalPort())
                    .storage("sql:" + database).start().close();
            System.out.println("started");
        } catch (RuntimeException failed) {
            System.out.println("failed: " + failed.getClass().getSimpleName() + ": " + failed.getMessage());
        }
        System.out.println("port: " + (canBind(host, port) ? "free" : "taken"));
        System.out.println("store files open: " + openDescriptors(database));
        System.out.println("threads: " + pyromeshThreads());
    }

    private static boolean canBind(InetAddress host, int port) {
        try (ServerSocket again = new ServerSocket()) {
            again.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    private static long openDescriptors(Path file) throws IOException {
        Path real = file.toRealPath();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith(real.toString());
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    /** Threads of ours still alive, after giving stopped ones a moment to end. */
    private static List<String> pyromeshThreads() throws InterruptedException {
        List<String> alive = List.of();
        for (int wait = 0; wait < 50; wait++) {
            alive = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).filter(name -> name.startsWith("pyro")).sorted().toList();
            if (alive.isEmpty()) {
                break;
            }
            Thread.sleep(100);
        }
        return alive;
    }
}
