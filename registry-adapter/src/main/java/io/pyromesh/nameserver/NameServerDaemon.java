package io.pyromesh.nameserver;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.nameserver.consul.ConsulAnnouncement;
import io.pyromesh.nameserver.store.Store;
import io.pyromesh.nameserver.store.Stores;
import io.pyromesh.server.Daemon;
import io.pyromesh.uri.PyroURI;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
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
 * {@code Pyro.NameServer} and the gRPC {@code NameServer} service over one store, a discovery responder,
 * lease expiry every second and, with {@code NS_AUTOCLEAN}, the removal of unreachable registrations.
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

    private final Daemon daemon;
    private final NameRegistry registry;
    private final DiscoveryResponder responder;
    private final ConsulAnnouncement announcement;
    private final ScheduledExecutorService timers;
    private final int existingRegistrations;
    private final String discoveryRefusal;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NameServerDaemon(Builder builder) {
        PyroConfig config = builder.config == null ? PyroConfig.current() : builder.config;
        Store store = Stores.open(builder.storage);
        this.existingRegistrations = store.count();
        this.registry = new NameRegistry(store, builder.clock);
        Daemon.Builder server = Daemon.builder().config(config)
                .port(builder.port == null ? config.nsPort() : builder.port)
                .service(new NameServerService(registry));
        String host = builder.host == null ? config.host() : builder.host;
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
        try {
            this.daemon = server.build();
        } catch (RuntimeException failed) {
            registry.close();
            throw failed;
        }
        daemon.register(new NameServerObject(registry), PyroURI.NAMESERVER_NAME);
        registry.register(PyroURI.NAMESERVER_NAME, uri().toString(), false,
                Set.of("class:" + NameServerObject.class.getName()), null);
        this.discoveryRefusal = discoveryRefusal(builder, host);
        this.responder = discoveryRefusal == null
                ? DiscoveryResponder.start(builder.bcHost != null ? builder.bcHost : config.nsBcHost(),
                        builder.bcPort != null ? builder.bcPort : config.nsBcPort(), config.nsMcGroup(),
                        facing -> answerFor(facing, host))
                : null;
        this.announcement = ConsulAnnouncement.forNameServer(builder.storage, config, uri()).orElse(null);
        this.timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pyro-ns-timers");
            thread.setDaemon(true);
            return thread;
        });
        timers.scheduleWithFixedDelay(guarded(registry::expireLeases), 1, 1, TimeUnit.SECONDS);
        Duration autoclean = config.nsAutoclean();
        if (!autoclean.isZero()) {
            Duration probeTimeout = config.commTimeout().isZero() ? Duration.ofSeconds(5) : config.commTimeout();
            AutoCleaner cleaner = new AutoCleaner(registry, builder.clock, uri -> Endpoints.reachable(uri, probeTimeout));
            timers.scheduleWithFixedDelay(guarded(cleaner::sweep), autoclean.toMillis(), autoclean.toMillis(), TimeUnit.MILLISECONDS);
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

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "name server housekeeping failed", e);
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

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        timers.shutdownNow();
        if (announcement != null) {
            announcement.close();
        }
        if (responder != null) {
            responder.close();
        }
        daemon.shutdown();
        registry.close();
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
