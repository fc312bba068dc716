package io.pyromesh.mesh;

import io.grpc.BindableService;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.internal.Keepalive;
import io.pyromesh.internal.Tls;
import io.pyromesh.mesh.operations.MeshMetrics;
import io.pyromesh.proto.v1.InvokerGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server of a mesh hop: {@code Invoker} served by a {@link Forwarder} over a {@link Route},
 * any services of the hop's own, gRPC health ({@code grpc.health.v1}: SERVING, NOT_SERVING while
 * draining) and server reflection ({@code grpc.reflection.v1} and {@code v1alpha}, so {@code grpcurl}
 * lists, describes and calls the services), TLS or mutual TLS from {@code PYRO_SSL_*}, and
 * {@code MAX_MESSAGE_SIZE} as the bound on every message it receives.
 *
 * <pre>{@code
 * try (HopServer gateway = HopServer.builder("gateway").port(9300).route(route).start()) {
 *     System.out.println(gateway.hop());   // gateway localhost:9300
 *     gateway.awaitTermination();
 * }
 * }</pre>
 *
 * <p>It listens on {@code HOST} (localhost) unless told otherwise. Calls run on the transport's
 * threads (no hand-off to a pool, which costs latency on every call), so every service added must not
 * block in its handlers.
 */
public final class HopServer implements AutoCloseable {
    private final Server server;
    /** The forwarding service again, in process: for the hop's own front ends (the gateway's HTTP). */
    private final Server local;
    private final ManagedChannel localChannel;
    private final String localName = "pyromesh-hop-" + UUID.randomUUID();
    private final HealthStatusManager health = new HealthStatusManager();
    private final List<String> services = new ArrayList<>();
    private final String hop;
    private final String host;
    private volatile boolean serving;
    private final java.util.concurrent.atomic.AtomicBoolean drained = new java.util.concurrent.atomic.AtomicBoolean();

    private HopServer(Builder builder) {
        PyroConfig config = builder.config;
        this.host = builder.host == null ? config.host() : builder.host;
        NettyServerBuilder server = Keepalive.permitPings(HopLoop.serve(
                        NettyServerBuilder.forAddress(new InetSocketAddress(host, builder.port), Tls.serverCredentials(config))))
                .maxInboundMessageSize(transportLimit(config.maxMessageSize()))
                .directExecutor();
        String[] hopName = new String[1];
        Server inProcess = null;
        if (builder.route != null) {
            Forwarder forwarder = Forwarder.builder(builder.route).hop(() -> hopName[0]).config(config).metrics(builder.metrics).build();
            server.addService(forwarder.definition());
            services.add(InvokerGrpc.SERVICE_NAME);
            inProcess = InProcessServerBuilder.forName(localName).directExecutor()
                    .maxInboundMessageSize(transportLimit(config.maxMessageSize())).addService(forwarder.definition()).build();
        }
        this.local = inProcess;
        for (ServerServiceDefinition service : builder.services) {
            server.addService(service);
            services.add(service.getServiceDescriptor().getName());
        }
        server.addService(health.getHealthService()).addService(ProtoReflectionServiceV1.newInstance()).addService(legacyReflection());
        this.server = server.build();
        try {
            this.server.start();
        } catch (IOException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new CommunicationError("cannot listen on " + host + ":" + builder.port + ": " + cause.getMessage(), e);
        }
        this.hop = builder.kind + " " + location();
        hopName[0] = hop;
        this.localChannel = startLocal(config);
        setServing(true);
    }

    private ManagedChannel startLocal(PyroConfig config) {
        if (local == null) {
            return null;
        }
        try {
            local.start();
        } catch (IOException impossible) {
            server.shutdownNow();
            throw new IllegalStateException("an in-process server did not start", impossible);
        }
        return InProcessChannelBuilder.forName(localName).directExecutor().maxInboundMessageSize(config.maxMessageSize()).build();
    }

    /**
     * A channel to this hop's {@code Invoker} within the process, with no network in between: how a
     * front end of the hop's own (the gateway's HTTP/JSON) calls through it. Null for a hop without a route.
     */
    public Channel localChannel() {
        return localChannel;
    }

    /**
     * A little above {@code MAX_MESSAGE_SIZE}, as the daemon's: gRPC refuses a message over its limit with
     * no Pyro error detail, so the forwarder checks the exact limit itself and says which hop refused.
     */
    static int transportLimit(int maxMessageSize) {
        return (int) Math.min(Integer.MAX_VALUE, maxMessageSize + Math.max(64 * 1024L, maxMessageSize / 8L));
    }

    /** grpcurl before 1.9 asks only the v1alpha reflection service. */
    @SuppressWarnings("deprecation")
    private static BindableService legacyReflection() {
        return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
    }

    /** A hop of this kind ({@code "gateway"}, {@code "sidecar"}), which names it in its errors. */
    public static Builder builder(String kind) {
        return new Builder(kind);
    }

    /** The hop's name in errors and logs: its kind and address, e.g. {@code "gateway localhost:9300"}. */
    public String hop() {
        return hop;
    }

    /** The port it listens on. */
    public int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    /** {@code host:port} ({@code [v6]:port}) as it listens. */
    public String location() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** Switches the gRPC health status of the server and its services between SERVING and NOT_SERVING. */
    public void setServing(boolean serving) {
        this.serving = serving;
        ServingStatus status = serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        for (String service : services) {
            health.setStatus(service, status);
        }
    }

    /** Whether health says SERVING. */
    public boolean isServing() {
        return serving;
    }

    /**
     * Stops gracefully: health NOT_SERVING first (so balancers stop sending), then new calls are refused
     * while calls in progress may finish for up to {@code grace}; what is left then is cancelled.
     * A second call does nothing.
     */
    public void drain(Duration grace) {
        if (!drained.compareAndSet(false, true)) {
            return;
        }
        setServing(false);
        health.enterTerminalState();
        if (local != null) {
            localChannel.shutdown();
            local.shutdown();
        }
        server.shutdown();
        try {
            if (!server.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                server.shutdownNow();
                server.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Blocks until the server has stopped. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Drains with a grace of 5 seconds. */
    @Override
    public void close() {
        drain(Duration.ofSeconds(5));
    }

    /** Options of a hop server; anything not set comes from the {@link PyroConfig}. */
    public static final class Builder {
        private final String kind;
        private PyroConfig config = PyroConfig.current();
        private String host;
        private int port;
        private Route route;
        private MeshMetrics metrics;
        private final List<ServerServiceDefinition> services = new ArrayList<>();

        private Builder(String kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        public Builder config(PyroConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The host name or address to listen on (default {@code HOST}, localhost). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Serve {@code Invoker} by forwarding every call where {@code route} says. */
        public Builder route(Route route) {
            this.route = route;
            return this;
        }

        /** Count forwarded calls here. */
        public Builder metrics(MeshMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /** Another service of the hop's own; its handlers must not block. */
        public Builder service(BindableService service) {
            return service(service.bindService());
        }

        public Builder service(ServerServiceDefinition service) {
            services.add(service);
            return this;
        }

        public HopServer start() {
            return new HopServer(this);
        }
    }
}
