package io.pyromesh.sidecar;

import io.grpc.Status;
import io.micrometer.core.instrument.Gauge;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.mesh.HopServer;
import io.pyromesh.mesh.operations.AdminServer;
import io.pyromesh.mesh.operations.MeshMetrics;
import io.pyromesh.mesh.routing.ChannelPool;
import io.pyromesh.mesh.routing.Router;
import io.pyromesh.uri.PyroURI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The sidecar of one host (sidecar.proto): local apps attach their objects to it over a lease; it
 * registers their names in the name server under its own address and lease, forwards the calls it
 * receives for their objects to them, and routes the calls they send it with a full URI.
 *
 * <pre>{@code
 * try (Sidecar sidecar = Sidecar.builder().host("0.0.0.0").port(9100).localPort(9101).start()) {
 *     System.out.println(sidecar.publicLocation());   // 10.0.0.2:9100, in the names it registers
 *     sidecar.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Two listeners: the public one ({@code HOST}, localhost, unless told otherwise) serves
 * {@code Invoker} for the attached objects' ids; the local one, always on 127.0.0.1, serves the
 * {@code Sidecar} service (attach) and {@code Invoker} for the apps' outbound calls, whose objects are
 * full URIs routed by the mesh's {@link Router}. Both serve gRPC health (NOT_SERVING while draining) and
 * reflection; an admin HTTP port serves {@code /metrics} (attached apps, objects, names, calls, open
 * streams) and {@code /health}. {@link #shutdown(Duration)} drains: names removed
 * first, then no new calls, then the calls under way finish (up to the grace period), then the leases
 * end.
 */
public final class Sidecar implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Sidecar.class.getName());
    /** How long removing the names may take when shutting down, before the rest goes on regardless. */
    private static final Duration DEREGISTRATION_TIMEOUT = Duration.ofSeconds(3);

    private final NameServerFinder finder;
    private final AttachedApps apps = new AttachedApps();
    private final MeshMetrics metrics = new MeshMetrics("sidecar");
    private final HopServer inbound;
    private final String publicLocation;
    private final NameRegistrar registrar;
    private final AttachService attach;
    private final ChannelPool channels;
    private final Router router;
    private final HopServer local;
    private final AdminServer admin;
    private final Duration grace;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Sidecar(Builder builder) {
        PyroConfig config = builder.config;
        this.grace = builder.grace;
        this.finder = new NameServerFinder(builder.nsHost, builder.nsPort, config);
        // the name server first: a sidecar on every interface publishes the one facing it
        finder.find();
        try {
            this.inbound = HopServer.builder("sidecar").config(config).host(builder.host).port(builder.port)
                    .route(new InboundRoute(apps)).metrics(metrics).start();
        } catch (RuntimeException failed) {
            finder.close();
            throw failed;
        }
        String host = builder.host == null ? config.host() : builder.host;
        this.publicLocation = PublicAddress.of(host, inbound.port(), builder.natHost, builder.natPort, finder.location());
        this.registrar = new NameRegistrar(finder, publicLocation, builder.lease);
        this.attach = new AttachService(apps, registrar, config, publicLocation, "sidecar " + publicLocation,
                builder.firstMessageTimeout, builder.maxOpenAttachStreams);
        this.channels = new ChannelPool(config);
        Router.Builder routing = Router.builder(config).channels(channels).metrics(metrics);
        if (builder.nsHost != null) {
            routing.nameServer(builder.nsHost, builder.nsPort);
        }
        this.router = routing.start();
        HopServer started;
        AdminServer adminStarted = null;
        try {
            started = HopServer.builder("sidecar").config(config).host("127.0.0.1").port(builder.localPort)
                    .route(new OutboundRoute(router)).service(attach).metrics(metrics).start();
            if (builder.adminPort >= 0) {
                String adminHost = builder.adminHost != null ? builder.adminHost : host;
                adminStarted = AdminServer.builder().host(adminHost).port(builder.adminPort).metrics(metrics)
                        .serving(() -> !attach.draining()).start();
            }
        } catch (RuntimeException failed) {
            inbound.drain(Duration.ZERO);
            router.close();
            channels.close();
            finder.close();
            throw failed;
        }
        this.local = started;
        this.admin = adminStarted;
        Gauge.builder("pyromesh.sidecar.apps", apps, AttachedApps::appCount)
                .description("apps attached now").register(metrics.registry());
        Gauge.builder("pyromesh.sidecar.objects", apps, AttachedApps::objectCount)
                .description("objects attached now").register(metrics.registry());
        Gauge.builder("pyromesh.sidecar.names", registrar, NameRegistrar::heldCount)
                .description("names held in the name server for the attached objects").register(metrics.registry());
        registrar.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@code host:port} of the public listener in the URIs the sidecar registers, e.g. {@code 10.0.0.2:9100}. */
    public String publicLocation() {
        return publicLocation;
    }

    /** The port of the public listener. */
    public int port() {
        return inbound.port();
    }

    /** Where apps attach and send their outbound calls: {@code 127.0.0.1:<port>}, a value for {@code SIDECAR}. */
    public String localAddress() {
        return local.location();
    }

    /** The port of the local listener. */
    public int localPort() {
        return local.port();
    }

    /** The admin port's {@code http://host:port} ({@code /metrics}, {@code /health}), or null without one. */
    public String adminUrl() {
        return admin == null ? null : admin.url();
    }

    /** The name server the sidecar registers with, if one has answered. */
    public Optional<PyroURI> nameServer() {
        return Optional.ofNullable(finder.location());
    }

    /** The sidecar's metrics (Prometheus text with {@link MeshMetrics#scrape()}). */
    public MeshMetrics metrics() {
        return metrics;
    }

    /** How many apps are attached now. */
    public int attachedApps() {
        return apps.appCount();
    }

    /** How many Attach streams are open now, attached or not yet. */
    int openAttachStreams() {
        return attach.openStreams();
    }

    /** Blocks until the sidecar has shut down. */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /**
     * Shuts down gracefully (SIGTERM): health NOT_SERVING and no new attaches; the names removed from the
     * name server; no new calls; the calls under way finish, for up to {@code grace}; the leases end (the
     * apps will attach again to the sidecar's next run); everything stops. Safe to call more than once.
     */
    public void shutdown(Duration grace) {
        if (stopping.getAndSet(true)) {
            awaitQuietly();
            return;
        }
        attach.drain();
        inbound.setServing(false);
        local.setServing(false);
        int names = registrar.heldCount();
        registrar.unregisterAll(DEREGISTRATION_TIMEOUT);
        LOG.info(() -> "shutting down: removed " + names + " names; letting the calls under way finish");
        // outbound calls of the apps finish while the inbound ones do; the leases end only after the
        // inbound calls, which need the apps' channels
        Thread localDrain = new Thread(() -> local.drain(grace), "pyromesh-sidecar-drain");
        localDrain.start();
        inbound.drain(grace);
        attach.endAll(Status.UNAVAILABLE.withDescription("the sidecar " + publicLocation + " is shutting down"));
        try {
            localDrain.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        registrar.close();
        attach.close();
        router.close();
        channels.close();
        finder.close();
        if (admin != null) {
            admin.close();
        }
        stopped.countDown();
    }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #shutdown(Duration)} with the grace period the sidecar was built with. */
    @Override
    public void close() {
        shutdown(grace);
    }

    /** Options; anything not set comes from the {@link PyroConfig}. */
    public static final class Builder {
        private PyroConfig config = PyroConfig.current();
        private String host;
        private int port = 9100;
        private int localPort = 9101;
        private String natHost;
        private int natPort;
        private String nsHost;
        private int nsPort;
        private Duration lease = Duration.ofSeconds(10);
        private Duration grace = Duration.ofSeconds(10);
        private String adminHost;
        private int adminPort = 9102;
        private Duration firstMessageTimeout = Duration.ofSeconds(10);
        private int maxOpenAttachStreams = AttachService.MAX_OPEN_STREAMS;

        private Builder() {}

        public Builder config(PyroConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** The public listener's host (default {@code HOST}, localhost; 0.0.0.0 for every interface). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The public listener's port (default 9100; 0 picks a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The local listener's port on 127.0.0.1 (default 9101; 0 picks a free one). */
        public Builder localPort(int localPort) {
            this.localPort = localPort;
            return this;
        }

        /** Publish this host in the registered URIs instead of the listener's (behind NAT). */
        public Builder natHost(String natHost) {
            this.natHost = natHost;
            return this;
        }

        /** Publish this port (0, the default: the public listener's). */
        public Builder natPort(int natPort) {
            this.natPort = natPort;
            return this;
        }

        /** The name server's host and port (0: {@code NS_PORT}); by default it is found as {@code Pyro.locateNS()} finds it. */
        public Builder nameServer(String host, int port) {
            this.nsHost = host;
            this.nsPort = port;
            return this;
        }

        /** How long the sidecar's registrations live unless renewed (default 10 s): how soon a dead sidecar's names expire. */
        public Builder lease(Duration lease) {
            if (lease.compareTo(Duration.ofSeconds(3)) < 0) {
                throw new IllegalArgumentException("a lease must be at least 3 seconds, not " + lease.toMillis() / 1000.0);
            }
            this.lease = lease;
            return this;
        }

        /** How long calls under way may take to finish when shutting down (default 10 s). */
        public Builder grace(Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("the grace period must not be negative");
            }
            this.grace = grace;
            return this;
        }

        /** Where the admin port listens (default: where the public listener does). */
        public Builder adminHost(String host) {
            this.adminHost = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The admin port, HTTP: {@code /metrics}, {@code /health} (default 9102; 0 picks a free one; -1: none). */
        public Builder adminPort(int port) {
            this.adminPort = port;
            return this;
        }

        /** How long an Attach stream may stay open without its AttachRequest (default 10 s; tests shorten it). */
        Builder firstMessageTimeout(Duration timeout) {
            this.firstMessageTimeout = timeout;
            return this;
        }

        /** How many Attach streams may be open at once (default {@value AttachService#MAX_OPEN_STREAMS}; tests lower it). */
        Builder maxOpenAttachStreams(int streams) {
            this.maxOpenAttachStreams = streams;
            return this;
        }

        public Sidecar start() {
            return new Sidecar(this);
        }
    }
}
