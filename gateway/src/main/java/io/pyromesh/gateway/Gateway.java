package io.pyromesh.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.PyroError;
import io.pyromesh.gateway.http.HttpGateway;
import io.pyromesh.mesh.HopException;
import io.pyromesh.mesh.HopServer;
import io.pyromesh.mesh.operations.AdminServer;
import io.pyromesh.mesh.operations.MeshMetrics;
import io.pyromesh.mesh.routing.Balancing;
import io.pyromesh.mesh.routing.CacheState;
import io.pyromesh.mesh.routing.ChannelPool;
import io.pyromesh.mesh.routing.Explanation;
import io.pyromesh.mesh.routing.Router;
import io.pyromesh.uri.PyroURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway: the mesh's edge. It serves {@code Invoker} whose {@code object} is a full URI
 * ({@code PYRONAME:shop}, {@code PYROMETA:role:shop}, {@code PYRO:shop@10.0.0.2:9100}), resolves it in a
 * cache the name server's {@code Watch} keeps current, balances over replicas, and forwards the call
 * undecoded to the sidecar (or daemon) that serves the object. Only names matching an {@code expose}
 * pattern are reachable, and the name server's write methods never are.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.builder(config).port(9300).expose("shop\\.").start()) {
 *     gateway.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Besides {@code Invoker}: gRPC health (SERVING once the cache has caught up with the name server,
 * NOT_SERVING while draining) and reflection on the same port; an admin HTTP port with
 * {@code /metrics}, {@code /health} and {@code /resolve?uri=URI} (what a URI resolves to, as JSON); and,
 * when asked for, HTTP/JSON calls ({@link HttpGateway}) through the same routes and allow-list.
 */
public final class Gateway implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChannelPool channels;
    private final Router router;
    private final AllowList allowed;
    private final MeshMetrics metrics = new MeshMetrics("gateway");
    private final HopServer server;
    private final AdminServer admin;
    private final HttpGateway http;
    private final OwnDaemonObject own;
    private volatile boolean draining;

    private Gateway(Builder builder) {
        PyroConfig config = builder.config;
        this.allowed = AllowList.of(builder.expose);
        this.channels = new ChannelPool(config);
        Router.Builder routing = Router.builder(config).channels(channels).metrics(metrics).balancing(builder.balancing);
        if (builder.nameServerHost != null) {
            routing.nameServer(builder.nameServerHost, builder.nameServerPort);
        }
        this.router = routing.start();
        this.own = new OwnDaemonObject(this::info);
        GatewayRoute route = new GatewayRoute(router, allowed, own.target());
        try {
            this.server = HopServer.builder("gateway").config(config).host(builder.host).port(builder.port)
                    .route(route).metrics(metrics).start();
        } catch (RuntimeException failed) {
            own.close();
            router.close();
            channels.close();
            throw failed;
        }
        server.setServing(false);
        router.whenCurrent(() -> {
            if (!draining) {
                server.setServing(true);
            }
        });
        String ownHost = builder.host != null ? builder.host : config.host();
        AdminServer startedAdmin = null;
        try {
            String adminHost = builder.adminHost != null ? builder.adminHost : ownHost;
            startedAdmin = builder.adminPort < 0 ? null : AdminServer.builder().host(adminHost).port(builder.adminPort)
                    .metrics(metrics).serving(server::isServing).page("/resolve", this::resolvePage).start();
            this.admin = startedAdmin;
            this.http = builder.httpPort < 0 ? null : HttpGateway.builder(server.localChannel())
                    .host(builder.httpHost != null ? builder.httpHost : ownHost).port(builder.httpPort)
                    .exposed(allowed::allows).gatewayKey(builder.gatewayKey).cors(builder.corsOrigin)
                    .timeout(builder.httpTimeout != null ? builder.httpTimeout : config.commTimeout())
                    .maxMessageSize(config.maxMessageSize()).start();
        } catch (RuntimeException failed) {
            if (startedAdmin != null) {
                startedAdmin.close();
            }
            server.close();
            own.close();
            router.close();
            channels.close();
            throw failed;
        }
    }

    public static Builder builder(PyroConfig config) {
        return new Builder(config);
    }

    /** How errors of the gateway name it, e.g. {@code "gateway localhost:9300"}. */
    public String hop() {
        return server.hop();
    }

    public int port() {
        return server.port();
    }

    /** {@code host:port} of its gRPC port. */
    public String location() {
        return server.location();
    }

    /** The HTTP/JSON front's {@code http://host:port}, or null without one. */
    public String httpUrl() {
        return http == null ? null : http.url();
    }

    /** The admin port's {@code http://host:port}, or null without one. */
    public String adminUrl() {
        return admin == null ? null : admin.url();
    }

    /** What the gateway's own {@code Pyro.Daemon} answers to {@code info()}. */
    String info() {
        CacheState cache = router.cacheState();
        return "Pyromesh gateway " + server.location() + ", exposing " + (allowed.patterns().isEmpty() ? "nothing" : String.join(" ", allowed.patterns()))
                + ", name server " + (cache.nameServer().isEmpty() ? "not found yet" : cache.nameServer()) + " (" + cache.describe() + ")";
    }

    /** The exposed patterns. */
    public List<String> exposed() {
        return allowed.patterns();
    }

    /** The registration cache's state. */
    public CacheState cacheState() {
        return router.cacheState();
    }

    /** Waits until the gateway knows the name server's registrations (then its health is SERVING). */
    public boolean awaitCurrent(Duration timeout) throws InterruptedException {
        return router.awaitCurrent(timeout);
    }

    /** What {@code uri} resolves to through this gateway, and whether callers may reach it. */
    public Resolved resolve(PyroURI uri) {
        GatewayRoute route = new GatewayRoute(router, allowed, own.target());
        try {
            route.reachable(uri);
        } catch (PyroError | HopException refused) {
            return new Resolved(router.explain(uri), refused.getMessage());
        }
        return new Resolved(router.explain(uri, route::reachable), "");
    }

    /**
     * A URI's resolution as the gateway sees it.
     *
     * @param explanation candidates, pick and cache state
     * @param refusal why a caller of the gateway could not reach it (not exposed, unknown), or the empty string
     */
    public record Resolved(Explanation explanation, String refusal) {}

    private AdminServer.Reply resolvePage(Map<String, String> query) {
        String text = query.get("uri");
        if (text == null || text.isEmpty()) {
            return AdminServer.Reply.json(400, "{\"error\": \"give the URI to resolve: /resolve?uri=PYRONAME:name\"}\n");
        }
        PyroURI uri;
        try {
            uri = GatewayRoute.parse(text);
        } catch (HopException malformed) {
            return AdminServer.Reply.json(400, json(JSON.createObjectNode().put("error", malformed.getMessage())));
        }
        return AdminServer.Reply.json(200, json(resolve(uri)));
    }

    /** A resolution as the pretty-printed JSON that {@code /resolve} answers. */
    public static String json(Resolved resolved) {
        return json(toJson(resolved));
    }

    private static ObjectNode toJson(Resolved resolved) {
        Explanation explanation = resolved.explanation();
        ObjectNode out = JSON.createObjectNode();
        out.put("uri", explanation.uri());
        out.put("reachable", resolved.refusal().isEmpty());
        out.put("refusal", resolved.refusal());
        out.put("error", explanation.error());
        ArrayNode candidates = out.putArray("candidates");
        for (Explanation.Option option : explanation.candidates()) {
            candidates.add(toJson(option));
        }
        out.set("pick", explanation.pick() == null ? null : toJson(explanation.pick()));
        out.put("balancing", explanation.balancing());
        CacheState cache = explanation.cache();
        ObjectNode state = out.putObject("cache");
        state.put("nameServer", cache.nameServer());
        state.put("state", cache.state());
        state.put("revision", cache.revision());
        state.put("historyId", cache.historyId());
        state.put("registrations", cache.registrations());
        state.put("ageSeconds", seconds(cache.age()));
        if (cache.lastChange() == null) {
            state.putNull("lastChangeSecondsAgo");
        } else {
            state.put("lastChangeSecondsAgo", seconds(cache.lastChange()));
        }
        state.put("problem", cache.problem());
        return out;
    }

    private static ObjectNode toJson(Explanation.Option option) {
        ObjectNode out = JSON.createObjectNode();
        out.put("name", option.name());
        out.put("uri", option.uri());
        ArrayNode tags = out.putArray("metadata");
        option.metadata().stream().sorted().forEach(tags::add);
        out.put("inFlight", option.inFlight());
        if (option.ejectedFor() == null) {
            out.putNull("setAsideSeconds");
        } else {
            out.put("setAsideSeconds", seconds(option.ejectedFor()));
        }
        out.put("setAsideBecause", option.ejectedBecause());
        if (option.registeredAgo() == null) {
            out.putNull("registeredSecondsAgo");
        } else {
            out.put("registeredSecondsAgo", seconds(option.registeredAgo()));
        }
        return out;
    }

    private static double seconds(Duration duration) {
        return Math.round(duration.toNanos() / 1e6) / 1e3;
    }

    private static String json(ObjectNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Stops gracefully: health NOT_SERVING, then new calls refused while calls in progress finish for up
     * to {@code grace}; then the admin port and the name server's watch stop. A second call does nothing.
     */
    public void drain(Duration grace) {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
        }
        if (http != null) {
            http.close();
        }
        server.drain(grace);
        if (admin != null) {
            admin.close();
        }
        own.close();
        router.close();
        channels.close();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() {
        drain(Duration.ofSeconds(5));
    }

    /** Options of a gateway; anything not set comes from the {@link PyroConfig}. */
    public static final class Builder {
        private final PyroConfig config;
        private String host;
        private int port = 9300;
        private final List<String> expose = new ArrayList<>();
        private String nameServerHost;
        private int nameServerPort;
        private String adminHost;
        private int adminPort = 9301;
        private Balancing balancing = Balancing.LEAST_IN_FLIGHT_OF_TWO;
        private String httpHost;
        private int httpPort = -1;
        private String gatewayKey;
        private String corsOrigin;
        private Duration httpTimeout;

        private Builder(PyroConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** Where to listen (default {@code HOST}, localhost). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The gRPC port (default 9300; 0 picks a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Names matching this regex at their start become reachable; may be given several times. */
        public Builder expose(String regex) {
            expose.add(Objects.requireNonNull(regex, "regex"));
            return this;
        }

        /** The name server to follow (port 0: {@code NS_PORT}); default: found as {@code Pyro.locateNS()} does. */
        public Builder nameServer(String host, int port) {
            this.nameServerHost = host;
            this.nameServerPort = port;
            return this;
        }

        /** Where the admin port listens (default: where the gRPC port does). */
        public Builder adminHost(String host) {
            this.adminHost = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The admin port (default 9301; 0 picks a free one; -1: none). */
        public Builder adminPort(int port) {
            this.adminPort = port;
            return this;
        }

        public Builder balancing(Balancing balancing) {
            this.balancing = Objects.requireNonNull(balancing, "balancing");
            return this;
        }

        /** Serve HTTP/JSON (see {@link HttpGateway}) on this port (0 picks a free one; -1, the default: none). */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** Where HTTP/JSON listens (default: where the gRPC port does). */
        public Builder httpHost(String host) {
            this.httpHost = Objects.requireNonNull(host, "host");
            return this;
        }

        /** A key every HTTP request must carry ({@code X-Pyro-Gateway-Key} or {@code $key=}); default none. */
        public Builder gatewayKey(String key) {
            this.gatewayKey = key;
            return this;
        }

        /** Answer browsers from this origin ({@code *}: any) with CORS headers; default: no CORS. */
        public Builder cors(String origin) {
            this.corsOrigin = origin;
            return this;
        }

        /** How long an HTTP call may take before it is answered 504 (default {@code COMMTIMEOUT}; zero: no limit). */
        public Builder httpTimeout(Duration timeout) {
            this.httpTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Gateway start() {
            return new Gateway(this);
        }
    }
}
