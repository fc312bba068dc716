package io.pyromesh.nameserver;

import io.pyromesh.internal.Discovery;
import io.pyromesh.testing.TestHosts;
import io.pyromesh.uri.PyroURI;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The two sides of discovery as a program, to run on a {@link TestHosts} host. "-" stands for "none" (or,
 * as a bind host, "all interfaces").
 *
 * <pre>
 * respond BINDHOST PORT GROUP    answers as a name server bound to 0.0.0.0 would, with the URI
 *                                PYRO:Pyro.NameServer@FACING-ADDRESS:9090; prints "listening" when ready
 *                                and stops when its standard input ends
 * query PORT ADDRESSES GROUP     prints the URI found, or "none"; ADDRESSES is comma-separated
 * </pre>
 */
final class DiscoveryProgram {
    private DiscoveryProgram() {}

    public static void main(String[] args) throws IOException {
        switch (args[0]) {
            case "respond" -> respond(orNull(args[1]), Integer.parseInt(args[2]), orNull(args[3]));
            case "query" -> query(Integer.parseInt(args[1]), orNull(args[2]), orNull(args[3]));
            default -> throw new IllegalArgumentException("respond or query, not " + args[0]);
        }
    }

    private static void respond(String bindHost, int port, String group) throws IOException {
        DiscoveryResponder responder = DiscoveryResponder.start(bindHost, port, group,
                facing -> "PYRO:Pyro.NameServer@" + facing.getHostAddress() + ":9090");
        System.out.println("listening");
        System.out.flush();
        // the end of input also comes when the test JVM dies, so no responder outlives its test
        System.in.transferTo(OutputStream.nullOutputStream());
        responder.close();
    }

    private static void query(int port, String addresses, String group) {
        List<String> targets = addresses == null ? List.of() : Arrays.asList(addresses.split(","));
        Optional<PyroURI> found = Discovery.query(targets, group, port, Discovery.TIMEOUT, Discovery.ROUNDS);
        System.out.println(found.map(PyroURI::toString).orElse("none"));
    }

    private static String orNull(String arg) {
        return arg.equals("-") ? null : arg;
    }
}
