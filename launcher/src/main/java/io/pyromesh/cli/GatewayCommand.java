package io.pyromesh.cli;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.gateway.Gateway;
import io.pyromesh.mesh.routing.Balancing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pyromesh gateway}: the mesh's edge, calling objects by full URI. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Run the gateway: Invoker calls by full URI (PYRONAME:, PYROMETA:, PYRO:) to the exposed names, until interrupted.")
final class GatewayCommand implements Callable<Integer> {
    @Option(names = {"-n", "--host"}, description = "host to bind the gateway on (default: HOST, localhost)")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "9300", description = "gRPC port (default: 9300; 0 = any free port)")
    int port;

    @Option(names = {"-e", "--expose"}, paramLabel = "REGEX",
            description = "names matching this regex at their start are reachable; repeatable (default: nothing is)")
    List<String> expose = new ArrayList<>();

    @Option(names = "--ns", paramLabel = "HOST[:PORT]",
            description = "the name server to follow (default: found as locateNS does: NS_HOST, then discovery)")
    String nameServer;

    @Option(names = "--admin-host", description = "host of the admin HTTP port (default: the gateway's host)")
    String adminHost;

    @Option(names = "--admin-port", defaultValue = "9301",
            description = "admin HTTP port: /metrics, /health, /resolve (default: 9301; 0 = any free port; -1 = none)")
    int adminPort;

    @Option(names = "--http-host", description = "host of the HTTP/JSON port (default: the gateway's host)")
    String httpHost;

    @Option(names = "--http-port", defaultValue = "8080",
            description = "HTTP/JSON port: /pyro/NAME/METHOD (default: 8080; 0 = any free port; -1 = none)")
    int httpPort;

    @Option(names = {"-g", "--gatewaykey"}, paramLabel = "KEY",
            description = "HTTP requests must carry this key in X-Pyro-Gateway-Key or $key= (default: none)")
    String gatewayKey;

    @Option(names = {"-c", "--cors"}, paramLabel = "ORIGIN",
            description = "answer browsers from this origin with CORS headers; * for any (default: no CORS)")
    String cors;

    @Option(names = {"-t", "--timeout"}, paramLabel = "SECONDS",
            description = "an HTTP call taking longer is answered 504 (default: COMMTIMEOUT; 0 = no limit)")
    Double httpTimeout;

    @Option(names = "--balancing", defaultValue = "least-in-flight",
            description = "how replicas share calls: least-in-flight (of two random picks; the default) or round-robin")
    String balancing;

    @Option(names = "--drain", defaultValue = "10", paramLabel = "SECONDS",
            description = "on SIGTERM, how long calls in progress may still finish (default: 10)")
    double drainSeconds;

    @Option(names = "--wait", defaultValue = "10", paramLabel = "SECONDS",
            description = "how long to wait at start-up for the name server's registrations (default: 10)")
    double waitSeconds;

    @Override
    public Integer call() throws InterruptedException {
        Gateway.Builder builder = Gateway.builder(PyroConfig.current()).port(port).adminPort(adminPort).balancing(balancingRule());
        if (host != null) {
            builder.host(host);
        }
        if (adminHost != null) {
            builder.adminHost(adminHost);
        }
        if (nameServer != null) {
            HostPort ns = HostPort.parse(nameServer);
            builder.nameServer(ns.host(), ns.port());
        }
        expose.forEach(builder::expose);
        builder.httpPort(httpPort).gatewayKey(gatewayKey).cors(cors);
        if (httpHost != null) {
            builder.httpHost(httpHost);
        }
        if (httpTimeout != null) {
            if (httpTimeout < 0 || httpTimeout.isNaN() || httpTimeout.isInfinite()) {
                throw new IllegalArgumentException("--timeout must be a number of seconds >= 0, not " + httpTimeout);
            }
            builder.httpTimeout(Duration.ofNanos((long) (httpTimeout * 1e9)));
        }
        Gateway gateway = builder.start();
        Duration grace = Duration.ofMillis((long) (drainSeconds * 1000));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> gateway.drain(grace), "gateway-drain"));
        boolean current = gateway.awaitCurrent(Duration.ofMillis((long) (waitSeconds * 1000)));
        System.out.println("Gateway running on " + gateway.location());
        System.out.println(gateway.exposed().isEmpty()
                ? "Exposing nothing: give --expose REGEX to make names reachable."
                : "Exposing names matching: " + String.join("  ", gateway.exposed()));
        var cache = gateway.cacheState();
        System.out.println("Name server " + (cache.nameServer().isEmpty() ? "not found yet" : cache.nameServer()) + ": "
                + (current ? "" : "not caught up yet, ") + cache.describe());
        if (gateway.httpUrl() != null) {
            System.out.println("HTTP/JSON on " + gateway.httpUrl() + "/pyro/NAME/METHOD");
        }
        if (gateway.adminUrl() != null) {
            System.out.println("Admin on " + gateway.adminUrl() + " (/metrics, /health, /resolve?uri=URI)");
        }
        System.out.flush();
        gateway.awaitTermination();
        System.out.println("Gateway shut down.");
        return 0;
    }

    private Balancing balancingRule() {
        return switch (balancing) {
            case "least-in-flight" -> Balancing.LEAST_IN_FLIGHT_OF_TWO;
            case "round-robin" -> Balancing.ROUND_ROBIN;
            default -> throw new IllegalArgumentException("--balancing is least-in-flight or round-robin, not " + balancing);
        };
    }
}
