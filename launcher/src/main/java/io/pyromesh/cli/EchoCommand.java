package io.pyromesh.cli;

import io.pyromesh.server.Daemon;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.utils.EchoServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pyromesh echo}: Pyro's test echo server. */
@Command(name = "echo", mixinStandardHelpOptions = true,
        description = "Run Pyro's test echo server (object test.echoserver) and print its URI.")
final class EchoCommand implements Callable<Integer> {
    static final String OBJECT_NAME = "test.echoserver";

    @Option(names = {"-H", "--host"}, description = "host to bind the server on (default: HOST, localhost)")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "0", description = "port to bind the server on (default: a free port)")
    int port;

    @Option(names = {"-u", "--unixsocket"}, description = "unix domain socket name to bind the server on")
    String unixSocket;

    @Option(names = {"-v", "--verbose"}, description = "print every call")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "print nothing")
    boolean quiet;

    @Override
    public Integer call() {
        Daemon.Builder builder = Daemon.builder().port(port);
        if (host != null) {
            builder.host(host);
        }
        if (unixSocket != null) {
            builder.unixSocket(unixSocket);
        }
        EchoServer echo = new EchoServer();
        echo.setVerbose(verbose);
        try (Daemon daemon = builder.build()) {
            PyroURI uri = daemon.register(echo, OBJECT_NAME);
            if (!quiet) {
                System.out.println("Starting Pyro's built-in test echo server.");
                System.out.println("object name: " + OBJECT_NAME);
                System.out.println("echo uri: " + uri);
                System.out.println("echoserver running.");
                System.out.flush();
            }
            daemon.requestLoop();
        }
        return 0;
    }
}
