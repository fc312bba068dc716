package io.pyromesh.cli;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.nameserver.NameServerDaemon;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pyromesh ns}: the name server, with Pyro's {@code pyro5-ns} options and start-up lines. */
@Command(name = "ns", mixinStandardHelpOptions = true,
        description = "Run the name server (the registry adapter) until interrupted.")
final class NsCommand implements Callable<Integer> {
    @Option(names = {"-n", "--host"}, description = "hostname to bind server on (default: HOST, localhost)")
    String host;

    @Option(names = {"-p", "--port"}, description = "port to bind server on (default: NS_PORT, 9090; 0 = any free port)")
    Integer port;

    @Option(names = {"-u", "--unixsocket"}, description = "unix domain socket name to bind server on")
    String unixSocket;

    @Option(names = {"-s", "--storage"},
            description = "storage: memory, sql:FILE or consul:http://HOST:PORT (default: NS_STORAGE, memory)")
    String storage;

    @Option(names = "--bchost", description = "hostname to bind the discovery responder on (default: NS_BCHOST, all)")
    String bcHost;

    @Option(names = "--bcport", description = "port of the discovery responder (default: NS_BCPORT, 9091; 0 = any)")
    Integer bcPort;

    @Option(names = "--nathost", description = "external hostname in case of NAT")
    String natHost;

    @Option(names = "--natport", description = "external port in case of NAT")
    Integer natPort;

    @Option(names = {"-x", "--nobc"}, description = "don't start the discovery responder")
    boolean noBroadcast;

    @Override
    public Integer call() {
        if (storage == null) {
            storage = PyroConfig.current().nsStorage();
        }
        NameServerDaemon.Builder builder = NameServerDaemon.builder().storage(storage).broadcast(!noBroadcast);
        if (host != null) {
            builder.host(host);
        }
        if (port != null) {
            builder.port(port);
        }
        if (unixSocket != null) {
            builder.unixSocket(unixSocket);
        }
        if (bcHost != null) {
            builder.bcHost(bcHost);
        }
        if (bcPort != null) {
            builder.bcPort(bcPort);
        }
        if (natHost != null) {
            builder.natHost(natHost);
        }
        if (natPort != null) {
            builder.natPort(natPort);
        }
        try (NameServerDaemon ns = builder.start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(ns::close, "ns-shutdown"));
            printStartup(ns);
            ns.requestLoop();
        }
        System.out.println("NS shut down.");
        return 0;
    }

    private void printStartup(NameServerDaemon ns) {
        ns.discoveryRefusal().ifPresent(System.out::println);
        ns.discoveryAddress().ifPresent(address ->
                System.out.println("Broadcast server running on " + address.getAddress().getHostAddress() + ":" + address.getPort()));
        if (storage.startsWith("sql:")) {
            System.out.println("Persistent store contains " + ns.existingRegistrations() + " existing registrations.");
        }
        if (storage.startsWith("consul:")) {
            System.out.println("Consul store at " + storage.substring("consul:".length()) + " contains "
                    + ns.existingRegistrations() + " existing registrations.");
        }
        String location = ns.internalUri().location();
        System.out.println("NS running on " + location + addressOf(ns));
        if (natHost != null) {
            System.out.println("internal URI = " + ns.internalUri());
            System.out.println("external URI = " + ns.uri());
        } else {
            System.out.println("URI = " + ns.uri());
        }
        System.out.flush();
    }

    /** Pyro shows the address a host name resolved to, e.g. "localhost:9090 (127.0.0.1)". */
    private static String addressOf(NameServerDaemon ns) {
        String host = ns.internalUri().host();
        if (host == null) {
            return "";
        }
        try {
            return " (" + InetAddress.getByName(host).getHostAddress() + ")";
        } catch (UnknownHostException unresolvable) {
            return "";
        }
    }
}
