package io.pyromesh.sidecar;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.proto.v1.AppMessage;
import io.pyromesh.proto.v1.AttachedObject;
import io.pyromesh.proto.v1.SidecarGrpc;
import io.pyromesh.proto.v1.SidecarMessage;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/** The sidecar's {@code Sidecar} service (sidecar.proto): one {@link LeaseStream} per Attach call. */
final class AttachService extends SidecarGrpc.SidecarImplBase {
    private final AttachedApps apps;
    private final NameRegistrar registrar;
    private final PyroConfig config;
    private final String publicLocation;
    private final String hop;
    private final ExecutorService worker = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "pyromesh-sidecar-leases");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong leaseCount = new AtomicLong();
    private final Set<LeaseStream> attached = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    /** @param hop how the sidecar names itself in the errors it raises, e.g. {@code "sidecar 10.0.0.2:9100"} */
    AttachService(AttachedApps apps, NameRegistrar registrar, PyroConfig config, String publicLocation, String hop) {
        this.hop = hop;
        this.apps = apps;
        this.registrar = registrar;
        this.config = config;
        this.publicLocation = publicLocation;
    }

    @Override
    public StreamObserver<AppMessage> attach(StreamObserver<SidecarMessage> responses) {
        return new LeaseStream(this, (ServerCallStreamObserver<SidecarMessage>) responses);
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
