package io.pyromesh.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.protobuf.services.HealthStatusManager;
import io.pyromesh.client.ProxyReferences;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.DaemonError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.internal.Keepalive;
import io.pyromesh.internal.LocalObjects;
import io.pyromesh.internal.Tls;
import io.pyromesh.internal.TransportLogs;
import io.pyromesh.internal.UnixSockets;
import io.pyromesh.proto.v1.ProxyRef;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.values.ValueCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hosts objects and serves their remote calls, as Pyro's {@code Daemon}.
 *
 * <pre>{@code
 * try (Daemon daemon = new Daemon()) {            // localhost, a free port
 *     PyroURI uri = daemon.register(new Warehouse(), "example.warehouse");
 *     System.out.println(uri);                     // PYRO:example.warehouse@localhost:40123
 *     daemon.requestLoop();                        // until shutdown()
 * }
 * }</pre>
 *
 * <p>A daemon listens from construction on (gRPC over Netty, TLS when {@code PYRO_SSL} is on) on
 * {@code HOST} (localhost unless told otherwise) or a unix socket, and stops at {@link #shutdown()}.
 * Only members marked {@link Expose} are reachable. Every daemon also serves the built-in
 * {@code Pyro.Daemon} object ({@link DaemonObject}). With a sidecar ({@code SIDECAR}, or
 * {@link Builder#sidecar(String)}) it attaches its objects to it: see {@link SidecarAttachment}.
 */
public class Daemon implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Daemon.class.getName());
    private static final ThreadLocal<Daemon> CURRENT = new ThreadLocal<>();

    private final PyroConfig config;
    private final String host;
    private final String socketName;
    private final String natHost;
    private final int natPort;
    private final Map<String, Registration> objects = new ConcurrentHashMap<>();
    /** Registered objects and classes to their ids, by identity (objects' equals() must not matter). */
    private final Map<Object, String> ids = new IdentityHashMap<>();
    private final Sessions sessions;
    private final Workers workers;
    private final Server server;
    private final ScheduledExecutorService housekeeper;
    private final int port;
    private final Runnable forgetLocalObjects;
    private final SidecarAttachment sidecar;
    private volatile boolean shutDown;

    /** A daemon on {@code HOST} (localhost by default) and a free port. */
    public Daemon() {
        this(builder());
    }

    /** A daemon on the given host and port (0 picks a free port). */
    public Daemon(String host, int port) {
        this(builder().host(host).port(port));
    }

    public static Builder builder() {
        return new Builder();
    }

    private Daemon(Builder builder) {
        this.config = builder.config == null ? PyroConfig.current() : builder.config;
        this.host = builder.host == null ? config.host() : builder.host;
        this.socketName = builder.unixSocket;
        this.natHost = builder.natHost != null ? builder.natHost : config.natHost();
        int requestedNatPort = builder.natPort != null ? builder.natPort : config.natPort();
        if (socketName != null && natHost != null) {
            throw new IllegalArgumentException("cannot use nathost together with unixsocket");
        }
        this.sessions = new Sessions(config.sessionTimeout());
        this.workers = new Workers(config, "pyro-daemon");
        ValueCodec codec = ProxyReferences.codec(config);
        Dispatcher dispatcher = new Dispatcher(this, codec);
        InvokerService service = new InvokerService(this, dispatcher, workers, config);
        NettyServerBuilder server;
        if (socketName != null) {
            server = NettyServerBuilder.forAddress(new DomainSocketAddress(socketName), Tls.serverCredentials(config))
                    .channelType(EpollServerDomainSocketChannel.class)
                    .bossEventLoopGroup(UnixSockets.eventLoop())
                    .workerEventLoopGroup(UnixSockets.eventLoop())
                    .withChildOption(ChannelOption.SO_KEEPALIVE, null); // TCP's, meaningless here
        } else {
            server = NettyServerBuilder.forAddress(new InetSocketAddress(host, builder.port), Tls.serverCredentials(config));
        }
        builder.services.forEach(server::addService);
        Set<String> handingOff = new HashSet<>();
        for (Function<Executor, BindableService> handingOffService : builder.servicesWithWorkers) {
            ServerServiceDefinition definition = handingOffService.apply(workers.callExecutor()).bindService();
            handingOff.add(definition.getServiceDescriptor().getName());
            server.addService(definition);
        }
        String sidecarAddress = builder.sidecarChosen ? builder.sidecar : config.sidecar();
        HealthStatusManager readiness = sidecarAddress == null ? null : SidecarAttachment.readiness(sidecarAddress, server);
        this.server = Keepalive.permitPings(server)
                .directExecutor()
                .callExecutor(new CallThreads(workers.callExecutor(), handingOff))
                .maxInboundMessageSize(InvokerDefinition.transportLimit(config.maxMessageSize()))
                .addService(ServerInterceptors.intercept(InvokerDefinition.bind(service, config, workers.callExecutor()),
                        new InboundCallInterceptor(config.compression())))
                .build();
        TransportLogs.quiet();
        try {
            this.server.start();
        } catch (IOException e) {
            workers.shutdownNow();
            String where = socketName != null ? "./u:" + socketName : host + ":" + builder.port;
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new CommunicationError("cannot listen on " + where + ": " + cause.getMessage(), e);
        }
        this.port = socketName != null ? 0 : ((InetSocketAddress) this.server.getListenSockets().get(0)).getPort();
        this.natPort = requestedNatPort == 0 ? port : requestedNatPort;
        registerBuiltIn();
        this.forgetLocalObjects = LocalObjects.add(this::referenceFor);
        this.housekeeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pyro-daemon-housekeeper");
            thread.setDaemon(true);
            return thread;
        });
        // often enough that an idle session ends within half its timeout of expiring, at most every 5 s
        long sweepMillis = Math.max(100, Math.min(5000, config.sessionTimeout().toMillis() / 2));
        housekeeper.scheduleWithFixedDelay(() -> sessions.expire(System.nanoTime()), sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        this.sidecar = sidecarAddress == null ? null : SidecarAttachment.start(sidecarAddress, this, readiness, housekeeper);
    }

    private void registerBuiltIn() {
        Registration builtIn = Registration.ofObject(PyroURI.DAEMON_NAME, new DaemonObject(this));
        objects.put(PyroURI.DAEMON_NAME, builtIn);
        synchronized (ids) {
            ids.put(builtIn.registered, PyroURI.DAEMON_NAME);
        }
    }

    /** The daemon serving the calling thread's remote call, or null outside a remote call. */
    public static Daemon current() {
        return CURRENT.get();
    }

    static Daemon enter(Daemon daemon) {
        Daemon previous = CURRENT.get();
        CURRENT.set(daemon);
        return previous;
    }

    /** Registers an object (or a class: see {@link #register(Class, String, Supplier)}) under a generated id. */
    public PyroURI register(Object objectOrClass) {
        return register(objectOrClass, null, false);
    }

    /** Registers an object (or a class) under {@code objectId}, or a generated {@code obj_<hex>} id if null. */
    public PyroURI register(Object objectOrClass, String objectId) {
        return register(objectOrClass, objectId, false);
    }

    /**
     * Registers an object (or a class) and returns its URI. Without {@code force}, an id already in
     * use, or an object already registered, is a {@link DaemonError}; with it, the old entry is
     * replaced.
     */
    public PyroURI register(Object objectOrClass, String objectId, boolean force) {
        if (objectOrClass instanceof Class<?> type) {
            return register(type, objectId, null, force);
        }
        if (objectOrClass == null) {
            throw new IllegalArgumentException("cannot register null");
        }
        String id = objectId == null ? generatedId() : objectId;
        return add(Registration.ofObject(checkedId(id), objectOrClass), force);
    }

    /**
     * Registers a class whose instances the daemon makes itself, in the class's
     * {@linkplain Behavior instance mode}, with {@code creator} (or the no-argument constructor if null).
     */
    public <T> PyroURI register(Class<T> type, String objectId, Supplier<? extends T> creator) {
        return register(type, objectId, creator, false);
    }

    private <T> PyroURI register(Class<T> type, String objectId, Supplier<? extends T> creator, boolean force) {
        String id = objectId == null ? generatedId() : objectId;
        return add(Registration.ofClass(checkedId(id), type, creator, sessions), force);
    }

    private PyroURI add(Registration registration, boolean force) {
        if (registration.exposed.exposesNothing()) {
            LOG.warning(() -> registration.exposed.type.getName() + " exposes no methods or properties: did you forget @Expose?");
        }
        synchronized (ids) {
            if (!force) {
                if (objects.containsKey(registration.id)) {
                    throw new DaemonError("an object or class is already registered with that id");
                }
                if (ids.containsKey(registration.registered)) {
                    throw new DaemonError("object or class already has a Pyro id");
                }
            }
            Registration replaced = objects.put(registration.id, registration);
            if (replaced != null) {
                ids.remove(replaced.registered);
            }
            ids.remove(registration.registered);
            ids.put(registration.registered, registration.id);
            if (sidecar != null) {
                sidecar.registered(registration.id);
            }
        }
        return uriFor(registration.id);
    }

    private static String checkedId(String id) {
        if (id.isEmpty() || id.chars().anyMatch(c -> Character.isWhitespace(c) || c == '@')) {
            throw new DaemonError("invalid object id '" + id + "': it must be non-empty, without whitespace or '@'");
        }
        if (id.equals(PyroURI.DAEMON_NAME)) {
            throw new DaemonError("the id " + PyroURI.DAEMON_NAME + " is reserved for the daemon's own object");
        }
        return id;
    }

    private static String generatedId() {
        return "obj_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Removes an object (given as itself, its class, or its id); unknown ones are ignored. */
    public void unregister(Object objectOrId) {
        synchronized (ids) {
            String id = objectOrId instanceof String text && !ids.containsKey(objectOrId) ? text : ids.get(objectOrId);
            if (PyroURI.DAEMON_NAME.equals(id)) {
                throw new DaemonError("the built-in " + PyroURI.DAEMON_NAME + " object cannot be unregistered");
            }
            Registration removed = id == null ? null : objects.remove(id);
            if (removed != null) {
                ids.remove(removed.registered);
                removed.close();
                if (sidecar != null) {
                    sidecar.unregistered(id);
                }
            }
        }
    }

    /** The URI clients use for an object (given as itself, its class, or its id), with the NAT address if set. */
    public PyroURI uriFor(Object objectOrId) {
        return uriFor(objectOrId, true);
    }

    /** As {@link #uriFor(Object)}; {@code nat=false} gives the internal address even when NAT is set. */
    public PyroURI uriFor(Object objectOrId, boolean nat) {
        String id;
        synchronized (ids) {
            id = ids.containsKey(objectOrId) ? ids.get(objectOrId) : objectOrId instanceof String text ? text : null;
        }
        if (id == null) {
            throw new DaemonError("object isn't registered: " + objectOrId);
        }
        if (socketName != null) {
            return PyroURI.unixSocket(id, socketName);
        }
        return nat && natHost != null ? PyroURI.direct(id, natHost, natPort) : PyroURI.direct(id, host, port);
    }

    /** The URI of this daemon's own {@code Pyro.Daemon} object. */
    public PyroURI uri() {
        return uriFor(PyroURI.DAEMON_NAME);
    }

    /** The id of a registered object or class, or null. */
    public String idOf(Object objectOrClass) {
        synchronized (ids) {
            return ids.get(objectOrClass);
        }
    }

    /**
     * Pyro's autoproxy: a registered object travels as a reference to itself; an attached daemon's
     * through its sidecar, which other hosts reach (the daemon's own listener may be loopback only).
     */
    private ProxyRef referenceFor(Object object) {
        String id = idOf(object);
        if (id == null) {
            return null;
        }
        PyroURI uri = sidecar == null || id.equals(PyroURI.DAEMON_NAME) ? uriFor(id) : sidecar.referenceTo(id).orElseGet(() -> uriFor(id));
        return ProxyRef.newBuilder().setUri(uri.toString()).setMetadata(registration(id).exposed.metadata).build();
    }

    /** The ids of all registered objects, {@code Pyro.Daemon} included. */
    public Set<String> registered() {
        return new TreeSet<>(objects.keySet());
    }

    /** Where the daemon listens: {@code host:port}, {@code [v6]:port} or {@code ./u:name}. */
    public String location() {
        return uriFor(PyroURI.DAEMON_NAME, false).location();
    }

    /** The TCP port the daemon listens on (0 for a unix socket). */
    public int port() {
        return port;
    }

    /** The unix socket the daemon listens on, or null. */
    String unixSocket() {
        return socketName;
    }

    /** The attachment to the sidecar, if this daemon has one. */
    public Optional<SidecarAttachment> sidecar() {
        return Optional.ofNullable(sidecar);
    }

    public PyroConfig config() {
        return config;
    }

    String info() {
        String nat = natHost == null ? "None" : natHost + ":" + natPort;
        String serverType = config.serverType() == PyroConfig.ServerType.MULTIPLEX
                ? "multiplex (one worker)" : "thread pool of up to " + config.threadpoolSize() + " workers";
        return "Pyro.Daemon bound on " + location() + ", NAT " + nat + ", " + objects.size()
                + " objects registered. Servertype: gRPC, " + serverType;
    }

    Registration registration(String objectId) {
        Registration registration = objects.get(objectId);
        if (registration == null) {
            throw new DaemonError("unknown object: " + PyroError.excerpt(objectId));
        }
        return registration;
    }

    void closeSession(String session) {
        if (session != null) {
            sessions.close(session);
        }
    }

    /** Serves calls until {@link #shutdown()} (from another thread, or from a remote method). */
    public void requestLoop() {
        try {
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True once {@link #shutdown()} has begun. */
    public boolean isShutdown() {
        return shutDown;
    }

    /**
     * Stops listening, lets running calls finish (up to 5 seconds), then releases everything. Safe to
     * call more than once and from a remote method.
     */
    public void shutdown() {
        if (CURRENT.get() == this) {
            // called by one of our own remote methods: waiting here for running calls to finish would
            // wait for this very call, so stop from another thread and let this call answer first
            Thread stopper = new Thread(this::shutdown, "pyro-daemon-shutdown");
            stopper.start();
            return;
        }
        synchronized (this) {
            if (shutDown) {
                return;
            }
            shutDown = true;
        }
        if (sidecar != null) {
            // first, so that the sidecar removes the names while the objects still answer
            sidecar.close();
        }
        housekeeper.shutdownNow();
        forgetLocalObjects.run();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
            workers.shutdown(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        sessions.closeAll();
        List<Registration> registrations = new ArrayList<>(objects.values());
        registrations.forEach(Registration::close);
        if (socketName != null && !socketName.startsWith("\0")) {
            try {
                Files.deleteIfExists(Path.of(socketName));
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not remove the socket file " + socketName, e);
            }
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    /** Options for a daemon; anything not set comes from the {@link PyroConfig}. */
    public static final class Builder {
        private PyroConfig config;
        private String host;
        private int port;
        private String unixSocket;
        private String natHost;
        private Integer natPort;
        private String sidecar;
        private boolean sidecarChosen;
        private final List<BindableService> services = new ArrayList<>();
        private final List<Function<Executor, BindableService>> servicesWithWorkers = new ArrayList<>();

        private Builder() {}

        /**
         * Serves another gRPC service on the daemon's port besides {@code Invoker}, as the name server
         * serves {@code NameServer}. It shares the daemon's workers, TLS and message size limit.
         */
        public Builder service(BindableService service) {
            services.add(service);
            return this;
        }

        /**
         * Serves another gRPC service whose unary methods hand their work to the daemon's workers, the
         * executor {@code service} is given, as the name server's do: those calls are read on the
         * transport's thread and wake one worker each. Its other methods run on the workers throughout.
         */
        public Builder serviceWithWorkers(Function<Executor, BindableService> service) {
            servicesWithWorkers.add(service);
            return this;
        }

        /** The configuration to use instead of {@link PyroConfig#current()}. */
        public Builder config(PyroConfig config) {
            this.config = config;
            return this;
        }

        /** The host name or address to listen on (default {@code HOST}, localhost). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Listen on this unix domain socket instead; a name starting with {@code \0} is Linux's abstract namespace. */
        public Builder unixSocket(String name) {
            this.unixSocket = name;
            return this;
        }

        /** Publish URIs with this host (default {@code NATHOST}). */
        public Builder natHost(String natHost) {
            this.natHost = natHost;
            return this;
        }

        /** Publish URIs with this port; 0 means the port the daemon listens on (default {@code NATPORT}). */
        public Builder natPort(int natPort) {
            this.natPort = natPort;
            return this;
        }

        /**
         * Attach the objects to the sidecar whose listener for apps is at {@code address}
         * ({@code host:port}) instead of registering names with the name server
         * (default {@code SIDECAR}); null: do not attach, whatever {@code SIDECAR} says.
         */
        public Builder sidecar(String address) {
            this.sidecar = address;
            this.sidecarChosen = true;
            return this;
        }

        public Daemon build() {
            return new Daemon(this);
        }
    }
}
