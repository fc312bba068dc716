package io.pyromesh.server;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.pyromesh.errors.DaemonError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.internal.Channels;
import io.pyromesh.proto.v1.AttachedObject;
import io.pyromesh.proto.v1.Attached;
import io.pyromesh.proto.v1.Endpoint;
import io.pyromesh.uri.PyroURI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A daemon's attachment to the sidecar of its host (sidecar.proto), made when the daemon is built with
 * {@link Daemon.Builder#sidecar(String)} or the {@code SIDECAR} setting. Every object registered in the
 * daemon is attached, and so reachable from other hosts as {@code PYRO:<id>@<sidecar address>}; a name
 * {@linkplain #publish published} here is registered in the name server by the sidecar, for as long as
 * the daemon lives: when it dies, however it dies, the sidecar removes the name at once.
 *
 * <pre>{@code
 * try (Daemon daemon = Daemon.builder().sidecar("localhost:9101").build()) {
 *     daemon.register(new Warehouse(), "example.warehouse");
 *     daemon.sidecar().orElseThrow().publish("example.warehouse", "example.warehouse", Set.of());
 *     daemon.requestLoop();
 * }
 * }</pre>
 *
 * <p>A daemon that starts before its sidecar, or outlives it, waits for it: it attaches again by itself,
 * with a backoff from 0.1 s up to 5 s between attempts, and logs that it waits. Its readiness is its
 * attachment: in this mode the daemon also serves {@code grpc.health.v1.Health}, which answers
 * {@code NOT_SERVING} until the objects are attached and whenever the lease is lost.
 */
public final class SidecarAttachment {
    private static final Duration REFERENCE_WAIT = Duration.ofSeconds(2);
    private final String address;
    private final Daemon daemon;
    private final HealthStatusManager health;
    private final Channels.Lease channel;
    private final SidecarLease lease;
    private volatile Attached attached;
    /** Attached, and the sidecar has answered every change since. */
    private volatile boolean inSync;

    private SidecarAttachment(String address, Daemon daemon, HealthStatusManager health, ScheduledExecutorService timer) {
        this.address = address;
        this.daemon = daemon;
        this.health = health;
        this.channel = Channels.shared().acquire(targetOf(address), daemon.config());
        this.lease = new SidecarLease(address, channel.channel(), appLabel(), endpointOf(daemon), timer, new SidecarLease.Listener() {
            @Override
            public void attached(Attached now, boolean synced) {
                attached = now;
                health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
                synced(synced);
            }

            @Override
            public void synced(boolean synced) {
                synchronized (SidecarAttachment.this) {
                    inSync = synced;
                    SidecarAttachment.this.notifyAll();
                }
            }

            @Override
            public void detached() {
                attached = null;
                inSync = false;
                health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
            }
        });
    }

    /**
     * The readiness service of a daemon that will attach to the sidecar at {@code address}, added to its
     * server before it starts: not serving until attached. A malformed address is refused here, before
     * anything listens.
     */
    static HealthStatusManager readiness(String address, NettyServerBuilder server) {
        targetOf(address);
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
        server.addService(health.getHealthService());
        return health;
    }

    static SidecarAttachment start(String address, Daemon daemon, HealthStatusManager health, ScheduledExecutorService timer) {
        return new SidecarAttachment(address, daemon, health, timer);
    }

    /** The gRPC target of a sidecar address ({@code host:port}). */
    private static String targetOf(String address) {
        PyroURI uri;
        try {
            uri = PyroURI.parse("PYRO:Pyro.Sidecar@" + address);
        } catch (PyroError malformed) {
            uri = null;
        }
        if (uri == null || uri.isUnixSocket()) {
            throw new IllegalArgumentException("not a sidecar address (host:port): " + address);
        }
        return uri.grpcTarget();
    }

    private static Endpoint endpointOf(Daemon daemon) {
        return daemon.unixSocket() != null
                ? Endpoint.newBuilder().setUnixSocket(daemon.unixSocket()).build()
                : Endpoint.newBuilder().setLoopbackPort(daemon.port()).build();
    }

    /** What the sidecar's logs and metrics call this process: its main class or jar, and its pid. */
    private static String appLabel() {
        String command = System.getProperty("sun.java.command", "java").split(" ", 2)[0];
        String label = command.substring(command.lastIndexOf('/') + 1) + " (pid " + ProcessHandle.current().pid() + ")";
        return label.length() <= 256 ? label : label.substring(label.length() - 256);
    }

    /** The sidecar's address for apps, as configured: {@code host:port}. */
    public String address() {
        return address;
    }

    /** Whether the objects are attached now (the daemon's readiness). */
    public boolean isAttached() {
        return attached != null;
    }

    /**
     * Waits until attached and the sidecar has taken every object registered and name published so far
     * (so the names are in the name server, unless it is unreachable); false if {@code timeout} passed
     * first (or the thread was interrupted).
     */
    public boolean awaitAttached(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            try {
                while (!(inSync && attached != null) && System.nanoTime() < deadline) {
                    TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inSync && attached != null;
        }
    }

    /**
     * Has the sidecar register {@code name} (with {@code metadata} tags) in the name server for a
     * registered object (given as itself, its class or its id), as {@code PYRO:<id>@<sidecar address>};
     * a name published before is replaced. The sidecar registers it once attached.
     */
    public void publish(String name, Object objectOrId, Set<String> metadata) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a published name must not be empty");
        }
        lease.put(AttachedObject.newBuilder().setId(registeredId(objectOrId)).setName(name).addAllMetadata(metadata).build());
    }

    /** The URI through the sidecar of a registered object, once attached. */
    public Optional<PyroURI> uriFor(Object objectOrId) {
        Attached now = attached;
        return now == null ? Optional.empty() : Optional.of(PyroURI.parse("PYRO:" + registeredId(objectOrId) + "@" + now.getSidecarAddress()));
    }

    /**
     * The URI through the sidecar for a reference to a registered object, empty while not attached. An
     * object registered by the very call that hands it out reaches the sidecar a moment later: this waits
     * for that, up to {@link #REFERENCE_WAIT}, so that the reference works when it arrives.
     */
    Optional<PyroURI> referenceTo(String id) {
        if (attached == null) {
            return Optional.empty();
        }
        awaitAttached(REFERENCE_WAIT);
        return uriFor(id);
    }

    private String registeredId(Object objectOrId) {
        String id = daemon.idOf(objectOrId);
        if (id == null && objectOrId instanceof String text && daemon.registered().contains(text)) {
            id = text;
        }
        if (id == null || id.equals(PyroURI.DAEMON_NAME)) {
            throw new DaemonError("object isn't registered: " + objectOrId);
        }
        return id;
    }

    /** A newly registered object is attached without a name; one registered again keeps its name. */
    void registered(String id) {
        if (!id.equals(PyroURI.DAEMON_NAME) && lease.get(id) == null) {
            lease.put(AttachedObject.newBuilder().setId(id).build());
        }
    }

    void unregistered(String id) {
        lease.remove(id);
    }

    /** Ends the lease, so that the sidecar removes the names before the daemon stops serving. */
    void close() {
        lease.close();
        attached = null;
        health.enterTerminalState();
        channel.release();
    }
}
