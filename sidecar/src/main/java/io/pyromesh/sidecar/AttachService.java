package io.pyromesh.sidecar;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.DaemonError;
import io.pyromesh.proto.v1.AppMessage;
import io.pyromesh.proto.v1.AttachedObject;
import io.pyromesh.proto.v1.SidecarGrpc;
import io.pyromesh.proto.v1.SidecarMessage;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sidecar's {@code Sidecar} service (sidecar.proto): one {@link LeaseStream} per Attach call. What
 * streams may claim is bounded before they claim it: open streams (twice the apps a sidecar takes),
 * attaches being checked at once (each may wait {@link EndpointProbe#TIMEOUT} for its endpoint), and the
 * time a stream may stay open without its AttachRequest.
 */
final class AttachService extends SidecarGrpc.SidecarImplBase {
    static final int MAX_OPEN_STREAMS = 2 * AttachedApps.MAX_APPS;
    static final int MAX_ATTACHES_UNDER_WAY = 64;

    private final AttachedApps apps;
    private final NameRegistrar registrar;
    private final PyroConfig config;
    private final String publicLocation;
    private final String hop;
    private final Duration firstMessageTimeout;
    private final int maxOpenStreams;
    private final ExecutorService worker = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "pyromesh-sidecar-leases");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong leaseCount = new AtomicLong();
    private final Set<LeaseStream> attached = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final Semaphore attaching = new Semaphore(MAX_ATTACHES_UNDER_WAY);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pyromesh-sidecar-lease-timer");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean draining;

    /** @param hop how the sidecar names itself in the errors it raises, e.g. {@code "sidecar 10.0.0.2:9100"} */
    AttachService(AttachedApps apps, NameRegistrar registrar, PyroConfig config, String publicLocation, String hop,
            Duration firstMessageTimeout, int maxOpenStreams) {
        this.hop = hop;
        this.maxOpenStreams = maxOpenStreams;
        this.firstMessageTimeout = firstMessageTimeout;
        this.apps = apps;
        this.registrar = registrar;
        this.config = config;
        this.publicLocation = publicLocation;
    }

    @Override
    public StreamObserver<AppMessage> attach(StreamObserver<SidecarMessage> responses) {
        if (open.incrementAndGet() > maxOpenStreams) {
            open.decrementAndGet();
            responses.onError(new Refusal(Status.Code.RESOURCE_EXHAUSTED, new DaemonError("this sidecar has "
                    + maxOpenStreams + " Attach streams open, its limit")).toStatus(hop));
            return new StreamObserver<>() {
                @Override
                public void onNext(AppMessage ignored) {
                    // refused already
                }

                @Override
                public void onError(Throwable ignored) {
                    // refused already
                }

                @Override
                public void onCompleted() {
                    // refused already
                }
            };
        }
        return new LeaseStream(this, (ServerCallStreamObserver<SidecarMessage>) responses);
    }

    int openStreams() {
        return open.get();
    }

    /** A stream has ended. */
    void closed() {
        open.decrementAndGet();
    }

    /** Claims one of the attaches that may be checked at once; false if all are taken. */
    boolean startAttach() {
        return attaching.tryAcquire();
    }

    void attachChecked() {
        attaching.release();
    }

    /** For a stream's deadline on its first message. */
    ScheduledExecutorService timer() {
        return timer;
    }

    /** How long a stream may stay open without its AttachRequest. */
    Duration firstMessageTimeout() {
        return firstMessageTimeout;
    }

    /** Refuses new attaches from now on (the sidecar is shutting down). */
    void drain() {
        draining = true;
    }

    /** Ends every lease: the sidecar is going. */
    void endAll(Status status) {
        List.copyOf(attached).forEach(lease -> lease.endBySidecar(status));
    }

    /** How many apps hold a lease now. */
    int leaseCount() {
        return attached.size();
    }

    /** Where lease streams do what may block (probing endpoints, registering names). */
    ExecutorService worker() {
        return worker;
    }

    String hop() {
        return hop;
    }

    /** Stops the lease workers, once every lease has ended. */
    void close() {
        worker.shutdownNow();
        timer.shutdownNow();
    }

    boolean draining() {
        return draining;
    }

    String nextLeaseId() {
        return "lease-" + leaseCount.incrementAndGet();
    }

    AttachedApps apps() {
        return apps;
    }

    NameRegistrar registrar() {
        return registrar;
    }

    PyroConfig config() {
        return config;
    }

    /** The {@code host:port} apps are told their objects are reachable at. */
    String publicLocation() {
        return publicLocation;
    }

    /** The registrations of the named ones of {@code objects}. */
    List<NameRegistrar.Name> namesOf(List<AttachedObject> objects) {
        return objects.stream().filter(object -> !object.getName().isEmpty())
                .map(object -> new NameRegistrar.Name(object.getName(), registrar.uriFor(object.getId()), object.getMetadataList()))
                .toList();
    }

    void attached(LeaseStream lease) {
        attached.add(lease);
    }

    void detached(LeaseStream lease) {
        attached.remove(lease);
    }
}
