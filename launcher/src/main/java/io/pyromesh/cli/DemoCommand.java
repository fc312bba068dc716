package io.pyromesh.cli;

import io.pyromesh.Pyro;
import io.pyromesh.client.RemoteObject;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.RemoteException;
import io.pyromesh.gateway.Gateway;
import io.pyromesh.mesh.routing.Explanation;
import io.pyromesh.nameserver.NameServerDaemon;
import io.pyromesh.server.Daemon;
import io.pyromesh.server.Expose;
import io.pyromesh.sidecar.Sidecar;
import io.pyromesh.uri.PyroURI;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pyromesh demo}: the whole mesh on the embedded defaults, in one process: a name server (memory
 * store), a sidecar, two replicas of Pyro's warehouse attached to it, and a gateway with HTTP/JSON; then
 * calls through the gateway by PYRONAME and PYROMETA, a stream, a remote error and an HTTP/JSON call,
 * each with the hops it took. With {@code --serve} it stays up on the default ports.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole mesh on the embedded defaults (name server, sidecar, two apps, gateway) and call through it.",
                "Without --serve it uses free ports and exits when done; with --serve it stays up on the default ports."})
final class DemoCommand implements Callable<Integer> {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final String HOST = "localhost";

    @Option(names = "--serve", description = "stay up on the default ports (9090 name server, 9100/9101 sidecar,"
            + " 9300/9301 gateway, 8080 HTTP) and print how to call it, until interrupted")
    boolean serve;

    /** The warehouse of Pyro's tutorial, as a Java contract, and which replica answers. */
    @Expose
    public interface Warehouse {
        List<String> list_contents();

        void store(String name, String item);

        void take(String name, String item);

        Stream<String> audit();

        String replica();
    }

    public static final class WarehouseImpl implements Warehouse {
        private final String replica;
        private final List<String> contents = new ArrayList<>(List.of("chair", "bike", "flashlight", "laptop", "couch"));

        public WarehouseImpl(String replica) {
            this.replica = replica;
        }

        @Override
        public synchronized List<String> list_contents() {
            return List.copyOf(contents);
        }

        @Override
        public synchronized void store(String name, String item) {
            contents.add(item);
        }

        @Override
        public synchronized void take(String name, String item) {
            if (!contents.remove(item)) {
                throw new IllegalArgumentException(name + " wants a " + item + ", but there is none");
            }
        }

        @Override
        public synchronized Stream<String> audit() {
            return List.copyOf(contents).stream().map(item -> "checked: " + item);
        }

        @Override
        public String replica() {
            return replica;
        }
    }

    @Override
    public Integer call() throws Exception {
        PyroConfig config = PyroConfig.current().withHost(HOST);
        step("A name server (memory store)");
        try (NameServerDaemon ns = NameServerDaemon.builder().config(config).host(HOST).port(serve ? 9090 : 0).broadcast(false).start()) {
            say(ns.uri().toString());
            step("A sidecar: its public listener, and the local one apps attach to");
            try (Sidecar sidecar = Sidecar.builder().config(config).host(HOST).port(serve ? 9100 : 0).localPort(serve ? 9101 : 0)
                    .adminPort(serve ? 9102 : -1).nameServer(HOST, ns.uri().port()).start()) {
                say("public " + sidecar.publicLocation() + ", local " + sidecar.localAddress());
                step("Two replicas of the warehouse attach; the sidecar registers their names under its address");
                try (Daemon first = app(config, sidecar, "replica 1", "example.warehouse");
                        Daemon second = app(config, sidecar, "replica 2", "example.warehouse.2")) {
                    ns.registry().list(null, null).forEach(entry -> say(entry.name() + " --> " + entry.uri() + "  " + entry.metadata()));
                    step("A gateway that exposes example.* over gRPC and HTTP/JSON, following the name server");
                    try (Gateway gateway = Gateway.builder(config).host(HOST).port(serve ? 9300 : 0).adminPort(serve ? 9301 : -1)
                            .httpPort(serve ? 8080 : 0).expose("example\\.").nameServer(HOST, ns.uri().port()).start()) {
                        awaitNames(gateway, "PYRONAME:example.warehouse", "PYRONAME:example.warehouse.2");
                        say("gRPC " + gateway.location() + ", HTTP " + gateway.httpUrl());
                        Map<String, String> apps = Map.of("example.warehouse", "replica 1 on " + first.location(),
                                "example.warehouse.2", "replica 2 on " + second.location());
                        calls(config, gateway, apps);
                        if (serve) {
                            howToCall(gateway);
                            Runtime.getRuntime().addShutdownHook(new Thread(() -> gateway.drain(Duration.ofSeconds(2)), "demo-stop"));
                            gateway.awaitTermination();
                            return 0;
                        }
                    }
                }
            }
        }
        step("Done: everything shut down cleanly.");
        return 0;
    }

    /** An app: a daemon that attaches to the sidecar and publishes its warehouse under a name, tagged. */
    private static Daemon app(PyroConfig config, Sidecar sidecar, String replica, String name) {
        Daemon daemon = Daemon.builder().config(config).sidecar(sidecar.localAddress()).build();
        daemon.register(new WarehouseImpl(replica), name);
        daemon.sidecar().orElseThrow().publish(name, name, Set.of("role:warehouse"));
        if (!daemon.sidecar().orElseThrow().awaitAttached(PATIENCE)) {
            daemon.close();
            throw new IllegalStateException("the " + replica + " app did not attach to the sidecar within " + PATIENCE.toSeconds() + " s");
        }
        say(replica + ": daemon on " + daemon.location() + ", attached as " + name);
        return daemon;
    }

    private void calls(PyroConfig config, Gateway gateway, Map<String, String> apps) throws IOException, InterruptedException {
        PyroURI byName = PyroURI.direct("PYRONAME:example.warehouse", HOST, gateway.port());
        step("By name: a typed proxy for " + byName);
        say(route(gateway, "PYRONAME:example.warehouse", apps));
        Warehouse warehouse = Pyro.proxy(byName, Warehouse.class);
        try {
            say("list_contents() = " + warehouse.list_contents());
            warehouse.store("Alice", "umbrella");
            warehouse.take("Alice", "bike");
            say("Alice stored an umbrella and took the bike: " + warehouse.list_contents());

            step("A remote exception comes back through both hops with its remote traceback");
            try {
                warehouse.take("Bob", "piano");
            } catch (RemoteException e) {
                e.getRemoteTraceback().lines().limit(3).forEach(DemoCommand::say);
            }

            step("A streamed result arrives item by item, flow-controlled on every hop");
            try (Stream<String> audit = warehouse.audit()) {
                audit.limit(3).forEach(DemoCommand::say);
            }
        } finally {
            ((RemoteObject) warehouse).close();
        }

        step("By metadata: PYROMETA:role:warehouse, balanced per call over both replicas");
        say(route(gateway, "PYROMETA:role:warehouse", apps));
        Warehouse anyReplica = Pyro.proxy(PyroURI.direct("PYROMETA:role:warehouse", HOST, gateway.port()), Warehouse.class);
        try {
            Map<String, Integer> answered = new TreeMap<>();
            for (int i = 0; i < 10; i++) {
                answered.merge(anyReplica.replica(), 1, Integer::sum);
            }
            say("10 calls answered by " + answered);
        } finally {
            ((RemoteObject) anyReplica).close();
        }

        String url = gateway.httpUrl() + "/pyro/example.warehouse/list_contents";
        step("HTTP/JSON: GET " + url);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(PATIENCE).build(), HttpResponse.BodyHandlers.ofString());
        say(response.statusCode() + " " + response.headers().firstValue("Content-Type").orElse("") + "  " + response.body());
    }

    /** The hops a call for {@code uri} takes: the gateway, then per candidate the sidecar and the app behind it. */
    private static String route(Gateway gateway, String uri, Map<String, String> apps) {
        Explanation explanation = gateway.resolve(PyroURI.parse(uri)).explanation();
        List<String> targets = explanation.candidates().stream()
                .map(option -> "sidecar " + PyroURI.parse(option.uri()).location() + " -> app " + apps.get(option.name()))
                .toList();
        return "client -> gateway " + gateway.location() + " -> " + String.join("  or  ", targets);
    }

    private static void awaitNames(Gateway gateway, String... uris) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        for (String uri : uris) {
            while (gateway.resolve(PyroURI.parse(uri)).explanation().candidates().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the gateway did not see " + uri + " within " + PATIENCE.toSeconds() + " s");
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
        }
    }

    private static void howToCall(Gateway gateway) {
        step("Serving until interrupted (Ctrl-C). Try, from another shell:");
        say("bin/pyromesh call PYRO:PYRONAME:example.warehouse@" + gateway.location() + " list_contents");
        say("bin/pyromesh call PYRONAME:example.warehouse store Carol lamp       # directly, via the name server");
        say("bin/pyromesh nsc list");
        say("bin/pyromesh resolve PYROMETA:role:warehouse");
        say("curl -s " + gateway.httpUrl() + "/pyro/example.warehouse/list_contents");
        say("curl -s -X POST -d '[\"Dave\", \"kite\"]' " + gateway.httpUrl() + "/pyro/example.warehouse/store");
        say("curl -s " + gateway.httpUrl() + "/pyro/example.warehouse/audit        # NDJSON, one line per item");
        say("curl -s localhost:9301/metrics | grep ^pyromesh_calls");
        say("grpcurl -plaintext -d '{\"object\": \"PYRONAME:example.warehouse\", \"method\": \"list_contents\"}' "
                + gateway.location() + " pyromesh.v1.Invoker/Invoke");
        System.out.flush();
    }

    private static void step(String text) {
        System.out.println("* " + text);
    }

    private static void say(String text) {
        System.out.println("    " + text);
    }
}
