package io.pyromesh.cli;

import io.pyromesh.Pyro;
import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.nameserver.NameServerDaemon;
import io.pyromesh.naming.NameServer;
import io.pyromesh.server.Daemon;
import io.pyromesh.server.SidecarAttachment;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.utils.EchoServer;
import java.time.Duration;
import java.util.Set;
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

    @Option(names = {"-n", "--naming"}, description = "register test.echoserver with the name server (through the sidecar, with one)")
    boolean naming;

    @Option(names = {"-s", "--sidecar"}, paramLabel = "ADDRESS",
            description = "attach to the sidecar whose apps' listener is at ADDRESS (host:port) instead of "
                    + "registering with the name server directly (default: SIDECAR)")
    String sidecar;

    @Option(names = {"-N", "--nameserver"}, description = "also start a name server (and register with it)")
    boolean nameServer;

    @Option(names = {"-v", "--verbose"}, description = "print every call")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "print nothing")
    boolean quiet;

    @Override
    public Integer call() {
        PyroConfig config = PyroConfig.current();
        Daemon.Builder builder = Daemon.builder().port(port);
        if (sidecar != null) {
            builder.sidecar(sidecar);
        }
        if (host != null) {
            builder.host(host);
        }
        if (unixSocket != null) {
            builder.unixSocket(unixSocket);
        }
        EchoServer echo = new EchoServer();
        echo.setVerbose(verbose);
        say("Starting Pyro's built-in test echo server.");
        try (NameServerDaemon ns = nameServer ? startNameServer(config) : null;
                Daemon daemon = builder.build()) {
            Runtime.getRuntime().addShutdownHook(new Thread(daemon::shutdown, "echo-shutdown"));
            PyroURI uri = daemon.register(echo, OBJECT_NAME);
            SidecarAttachment attachment = daemon.sidecar().orElse(null);
            if (attachment != null && (naming || nameServer)) {
                attachment.publish(OBJECT_NAME, OBJECT_NAME, Set.of());
            } else if (naming || nameServer) {
                register(ns, uri, config);
            }
            say("object name: " + OBJECT_NAME);
            say("echo uri: " + uri);
            say("echoserver running.");
            if (attachment != null) {
                announceAttachment(attachment);
            }
            daemon.requestLoop();
        }
        return 0;
    }

    /** Says when the sidecar has attached the echo server (the daemon logs its waiting meanwhile). */
    private void announceAttachment(SidecarAttachment attachment) {
        say("attaching to the sidecar at " + attachment.address() + "...");
        Thread announcer = new Thread(() -> {
            while (!attachment.awaitAttached(Duration.ofSeconds(60))) {
                // the daemon logs why it is not attached yet
            }
            attachment.uriFor(OBJECT_NAME).ifPresent(uri -> say("attached: " + uri));
        }, "echo-attachment");
        announcer.setDaemon(true);
        announcer.start();
    }

    private NameServerDaemon startNameServer(PyroConfig config) {
        NameServerDaemon ns = NameServerDaemon.builder().host(host == null ? config.host() : host).start();
        if (verbose) {
            ns.discoveryRefusal().ifPresentOrElse(this::say,
                    () -> say("broadcast server running on " + ns.discoveryAddress().orElseThrow()));
        }
        return ns;
    }

    private void register(NameServerDaemon ns, PyroURI uri, PyroConfig config) {
        try (NameServer nameServer = ns != null ? new Proxy(ns.uri(), config).as(NameServer.class) : Pyro.locateNS()) {
            if (verbose) {
                say("using name server at " + nameServer.pyroProxy().uri());
            }
            nameServer.register(OBJECT_NAME, uri);
        }
    }

    private void say(String line) {
        if (!quiet) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
