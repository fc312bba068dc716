package io.pyromesh.nameserver;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.nameserver.consul.ConsulAnnouncement;
import io.pyromesh.errors.PyroError;
import io.pyromesh.nameserver.store.Store;
import io.pyromesh.nameserver.store.Stores;
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.server.Daemon;
import io.pyromesh.uri.PyroURI;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A running name server (Pyro's {@code start_ns}): a {@link Daemon} serving the Pyro object
 * {@code Pyro.NameServer} and the gRPC {@code NameServer} service (with its {@code Watch} stream) over
 * one store, gRPC health and server reflection on the same port, a discovery responder, lease expiry
 * every second and, with {@code NS_AUTOCLEAN}, the removal of unreachable registrations. If any of it
 * fails to start, whatever had started is stopped again before the error is thrown.
 *
 * <pre>{@code
 * try (NameServerDaemon ns = NameServerDaemon.builder().port(0).start()) {
 *     System.out.println(ns.uri());   // PYRO:Pyro.NameServer@localhost:40123
 *     ns.requestLoop();
 * }
 * }</pre>
 */
public final class NameServerDaemon implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NameServerDaemon.class.getName());
    /** The services gRPC health reports on: the whole server ("") and the typed name service. */
    private static final List<String> HEALTH_SERVICES = List.of(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, NameServerGrpc.SERVICE_NAME);

    private final Daemon daemon;
    private final NameRegistry registry;
    private final DiscoveryResponder responder;
    private final int existingRegistrations;
    private final String discoveryRefusal;
    /** What to stop, last started first: close() and a failed start run the same steps. */
    private final Deque<AutoCloseable> stops = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private NameServerDaemon(Builder builder) {
        PyroConfig config = builder.config == null ? PyroConfig.current() : builder.config;
        String host = builder.host == null ? config.host() : builder.host;
        try {
            Store store = builder.store != null ? builder.store : Stores.open(builder.storage);
            stops.push(store::close);
            this.existingRegistrations = store.count();
            this.registry = new NameRegistry(store, builder.clock, builder.changeLogCapacity);
            Watches watches = new Watches(registry, builder.maxWatches);
            HealthStatusManager health = new HealthStatusManager();
            this.daemon = server(builder, config, host)
                    .serviceWithWorkers(workers -> () -> MalformedRequests.refused(new NameServerService(registry, watches, workers).bindService()))
                    .service(health.getHealthService())
                    .service(ProtoReflectionServiceV1.newInstance())
                    .build();
            stops.push(daemon::shutdown);
            stops.push(watches);
            daemon.register(new NameServerObject(registry), PyroURI.NAMESERVER_NAME);
            registry.registerSelf(uri(), Set.of("class:" + NameServerObject.class.getName()));
            this.discoveryRefusal = discoveryRefusal(builder, host);
            this.responder = discoveryRefusal == null
                    ? DiscoveryResponder.start(builder.bcHost != null ? builder.bcHost : config.nsBcHost(),
                            builder.bcPort != null ? builder.bcPort : config.nsBcPort(), config.nsMcGroup(),
                            facing -> answerFor(facing, host))
                    : null;
            if (responder != null) {
                stops.push(responder);
            }
            ConsulAnnouncement.forNameServer(builder.storage, config, uri()).ifPresent(stops::push);
            ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "pyro-ns-timers");
                thread.setDaemon(true);
                return thread;
            });
            stops.push(timers::shutdownNow);
            reportHealth(health, store);
            timers.scheduleWithFixedDelay(guarded(() -> reportHealth(health, store)), 1, 1, TimeUnit.SECONDS);
            timers.scheduleWithFixedDelay(guarded(registry::expireLeases), 1, 1, TimeUnit.SECONDS);
            Duration autoclean = config.nsAutoclean();
            if (!autoclean.isZero()) {
                Duration probeTimeout = config.commTimeout().isZero() ? Duration.ofSeconds(5) : config.commTimeout();
                AutoCleaner cleaner = new AutoCleaner(registry, builder.clock, uri -> Endpoints.reachable(uri, probeTimeout));
                timers.scheduleWithFixedDelay(guarded(cleaner::sweep), autoclean.toMillis(), autoclean.toMillis(), TimeUnit.MILLISECONDS);
            }
            // first to go at shutdown: load balancers and health checkers stop sending before anything stops
            stops.push(health::enterTerminalState);
        } catch (RuntimeException | Error failed) {
            stopAll(failed);
            throw failed;
        }
    }

    private static Daemon.Builder server(Builder builder, PyroConfig config, String host) {
        // the name server is what sidecars register with: it never attaches to one itself
        Daemon.Builder server = Daemon.builder().config(config).sidecar(null)
                .port(builder.port == null ? config.nsPort() : builder.port);
        if (builder.unixSocket != null) {
            server.unixSocket(builder.unixSocket);
        } else {
            server.host(host);
        }
        if (builder.natHost != null) {
            server.natHost(builder.natHost);
        }
        if (builder.natPort != null) {
            server.natPort(builder.natPort);
        }
        return server;
    }

    /** SERVING while the store answers; a store over a remote backend may not, for a while. */
    private static void reportHealth(HealthStatusManager health, Store store) {
        ServingStatus status = store.available() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        HEALTH_SERVICES.forEach(service -> health.setStatus(service, status));
    }

    /** Runs every stop step, last started first; failures are added to {@code cause} or logged. */
    private void stopAll(Throwable cause) {
        while (!stops.isEmpty()) {
            try {
                stops.pop().close();
            } catch (Exception | Error failed) {
                if (cause != null) {
                    cause.addSuppressed(failed);
                } else {
                    LOG.log(Level.WARNING, "stopping the name server", failed);
                }
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Why discovery is off, or null if it runs: Pyro starts no responder for loopback or IPv6 binds. */
    private static String discoveryRefusal(Builder builder, String host) {
        if (!builder.broadcast) {
            return "Not starting broadcast server (disabled).";
        }
        if (builder.unixSocket != null) {
            return "Not starting broadcast server for unix socket.";
        }
        try {
            InetAddress address = InetAddress.getByName(host);
            if (address.isLoopbackAddress()) {
                return "Not starting broadcast server for localhost.";
            }
            if (address instanceof java.net.Inet6Address) {
                return "Not starting broadcast server for IPv6.";
            }
        } catch (UnknownHostException unresolvable) {
            return "Not starting broadcast server for unresolvable host " + host + ".";
        }
        return null;
    }

    /** The name server's internal URI; bound to all interfaces, the interface facing the asker. */
    private String answerFor(InetAddress facing, String host) {
        PyroURI internal = internalUri();
        boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.isEmpty();
        return wildcard ? PyroURI.direct(PyroURI.NAMESERVER_NAME, facing.getHostAddress(), internal.port()).toString()
                : internal.toString();
    }

    /**
     * A periodic task that survives its failures. A failure is logged when it starts (a store that cannot
     * reach its backend fails every second: one line, not one a second), and so is the recovery.
     */
    private static Runnable guarded(Runnable task) {
        String[] failing = {null};
        return () -> {
            try {
                task.run();
                if (failing[0] != null) {
                    LOG.info("name server housekeeping works again");
                    failing[0] = null;
                }
            } catch (PyroError e) {
                String failure = String.valueOf(e.getMessage());
                if (!failure.equals(failing[0])) {
                    LOG.warning("name server housekeeping failed: " + failure);
                    failing[0] = failure;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "name server housekeeping failed", e);
                failing[0] = String.valueOf(e);
            }
        };
    }

    /** The URI clients use (with the NAT address, if any). */
    public PyroURI uri() {
        return daemon.uriFor(PyroURI.NAMESERVER_NAME);
    }

    /** The URI on the name server's own address, ignoring NAT. */
    public PyroURI internalUri() {
        return daemon.uriFor(PyroURI.NAMESERVER_NAME, false);
    }

    /** Where the discovery responder listens, if it runs. */
    public Optional<InetSocketAddress> discoveryAddress() {
        return responder == null ? Optional.empty() : Optional.of(responder.address());
    }

    /** Why the discovery responder does not run (a line for the console, as Pyro prints), or empty. */
    public Optional<String> discoveryRefusal() {
        return Optional.ofNullable(discoveryRefusal);
    }

    /** How many registrations the store held when the name server opened it. */
    public int existingRegistrations() {
        return existingRegistrations;
    }

    public NameRegistry registry() {
        return registry;
    }

    public Daemon daemon() {
        return daemon;
    }

    /** Serves until {@link #close()}. */
    public void requestLoop() {
        daemon.requestLoop();
    }

    /**
     * Stops: health turns NOT_SERVING, housekeeping and discovery stop, open watches end (UNAVAILABLE), the
     * server stops (running calls may finish, up to 5 seconds), the store closes.
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        stopAll(null);
    }

    /** Options; what is not set comes from the config ({@code HOST}, {@code NS_PORT}, {@code NS_BCPORT} ...). */
    public static final class Builder {
        private PyroConfig config;
        private String host;
        private Integer port;
        private String unixSocket;
        private String storage = "memory";
        private boolean broadcast = true;
        private String bcHost;
        private Integer bcPort;
        private String natHost;
        private Integer natPort;
        private Clock clock = Clock.systemUTC();
        private int changeLogCapacity = ChangeLog.DEFAULT_CAPACITY;
        private int maxWatches = Watches.DEFAULT_MAX_WATCHES;
        private Store store;

        private Builder() {}

        public Builder config(PyroConfig config) {
            this.config = config;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder unixSocket(String unixSocket) {
            this.unixSocket = unixSocket;
            return this;
        }

        /** {@code memory} (the default), {@code sql:FILE} or {@code consul:http://HOST:PORT}. */
        public Builder storage(String storage) {
            this.storage = storage;
            this.store = null;
            return this;
        }

        /** A store opened by the caller instead (e.g. one shared with other name servers); the name server closes it. */
        public Builder store(Store store) {
            this.store = store;
            return this;
        }

        /** Whether to answer discovery (default true; never for loopback, IPv6 or unix-socket name servers). */
        public Builder broadcast(boolean broadcast) {
            this.broadcast = broadcast;
            return this;
        }

        public Builder bcHost(String bcHost) {
            this.bcHost = bcHost;
            return this;
        }

        public Builder bcPort(int bcPort) {
            this.bcPort = bcPort;
            return this;
        }

        public Builder natHost(String natHost) {
            this.natHost = natHost;
            return this;
        }

        public Builder natPort(int natPort) {
            this.natPort = natPort;
            return this;
        }

        /**
         * How many recent changes the name server keeps for watchers that resume (default 10,000); a watcher
         * further behind gets a snapshot.
         */
        public Builder changeLogCapacity(int changes) {
            if (changes < 1) {
                throw new IllegalArgumentException("the change log must hold at least 1 change, not " + changes);
            }
            this.changeLogCapacity = changes;
            return this;
        }

        /** How many {@code Watch} streams may be open at once (default 1,024); more are refused with RESOURCE_EXHAUSTED. */
        public Builder maxWatches(int watches) {
            if (watches < 0) {
                throw new IllegalArgumentException("maxWatches must not be negative, not " + watches);
            }
            this.maxWatches = watches;
            return this;
        }

        /** The clock leases and autoclean follow (tests give a controllable one). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public NameServerDaemon start() {
            return new NameServerDaemon(this);
        }
    }
}
