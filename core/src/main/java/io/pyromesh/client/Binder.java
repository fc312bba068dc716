package io.pyromesh.client;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.PyroError;
import io.pyromesh.internal.Channels;
import io.pyromesh.internal.NameResolution;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.MetadataRequest;
import io.pyromesh.proto.v1.ObjectMetadata;
import io.pyromesh.uri.PyroURI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * How a proxy binds (Pyro's {@code _pyroBind}): resolves its URI, takes a channel to the daemon and
 * fetches the object's metadata, once for all the calls that come meanwhile, which wait for it. A
 * blocking call binds on its own thread; an asynchronous one holds none, except that it resolves a
 * PYRONAME or PYROMETA URI on a resolver thread of Pyromesh's own (name resolution may locate the name
 * server by discovery and wait out {@code NS_LOOKUP_DELAY}).
 */
final class Binder {
    private final Proxy proxy;
    private final PyroURI uri;
    private final PyroConfig config;
    private final ObjectMetadata knownMetadata;
    private volatile Proxy.Connection connection;
    /** The binding under way, which calls wait for; guarded by this. */
    private CompletableFuture<Proxy.Connection> binding;

    /** @param knownMetadata the object's metadata if already known (from a proxy reference), else null */
    Binder(Proxy proxy, PyroURI uri, PyroConfig config, ObjectMetadata knownMetadata) {
        this.proxy = proxy;
        this.uri = uri;
        this.config = config;
        this.knownMetadata = knownMetadata;
    }

    /** The connection, or null if not bound. */
    Proxy.Connection current() {
        return connection;
    }

    /** The metadata known without binding, or null. */
    ObjectMetadata knownMetadata() {
        return knownMetadata;
    }

    /** The connection, binding on this thread (or waiting for the binding under way) first if needed. */
    Proxy.Connection connection() {
        Proxy.Connection bound = connection;
        return bound != null ? bound : Futures.await(binding(true), uri);
    }

    /** The connection once bound: at once if it is, else when the binding under way, or one started now, ends. */
    CompletableFuture<Proxy.Connection> connectionAsync() {
        Proxy.Connection bound = connection;
        return bound != null ? CompletableFuture.completedFuture(bound) : binding(false);
    }

    /** Forgets the connection and any binding under way; returns the connection, for the caller to release. */
    synchronized Proxy.Connection release() {
        Proxy.Connection bound = connection;
        connection = null;
        binding = null;
        return bound;
    }

    /** Forgets {@code bound} if it is still the connection, and releases it (its daemon is gone). */
    synchronized void drop(Proxy.Connection bound) {
        if (connection == bound) {
            connection = null;
            bound.lease().release();
        }
    }

    private CompletableFuture<Proxy.Connection> binding(boolean here) {
        CompletableFuture<Proxy.Connection> attempt;
        synchronized (this) {
            if (connection != null) {
                return CompletableFuture.completedFuture(connection);
            }
            if (binding != null) {
                return binding;
            }
            attempt = binding = new CompletableFuture<>();
        }
        if (here) {
            try {
                settle(attempt, connect(), null);
            } catch (RuntimeException failed) {
                settle(attempt, null, failed);
            }
        } else {
            connectAsync().whenComplete((made, failed) -> settle(attempt, made, failed));
        }
        return attempt;
    }

    private void settle(CompletableFuture<Proxy.Connection> attempt, Proxy.Connection made, Throwable failed) {
        synchronized (this) {
            if (binding == attempt) {
                binding = null;
                connection = made;
            } else if (made != null) {
                // the proxy was closed meanwhile: the calls that waited still go out on it, nobody else will
                made.lease().release();
            }
        }
        if (failed != null) {
            attempt.completeExceptionally(Futures.unwrapped(failed));
        } else {
            attempt.complete(made);
        }
    }

    private Proxy.Connection connect() {
        PyroURI target = NameResolution.resolve(uri, config);
        Channels.Lease lease = Channels.shared().acquire(target.grpcTarget(), config);
        try {
            ObjectMetadata metadata = knownMetadata != null ? knownMetadata
                    : proxy.blocking(unbound(target, lease), InvokerGrpc.getGetMetadataMethod(), metadataRequest(target), new CallHeaders(null));
            return bound(target, lease, metadata);
        } catch (RuntimeException failed) {
            lease.release();
            throw failed;
        }
    }

    private CompletableFuture<Proxy.Connection> connectAsync() {
        CallHeaders headers = new CallHeaders(null);
        CompletableFuture<PyroURI> resolved = uri.protocol() == PyroURI.Protocol.PYRO
                ? CompletableFuture.completedFuture(uri)
                : CompletableFuture.supplyAsync(() -> NameResolution.resolve(uri, config), Resolvers.EXECUTOR);
        return resolved.thenCompose(target -> {
            Channels.Lease lease = Channels.shared().acquire(target.grpcTarget(), config);
            CompletableFuture<ObjectMetadata> metadata;
            if (knownMetadata != null) {
                metadata = CompletableFuture.completedFuture(knownMetadata);
            } else {
                UnaryCall<MetadataRequest, ObjectMetadata> call = new UnaryCall<>(proxy, InvokerGrpc.getGetMetadataMethod(), headers);
                call.start(unbound(target, lease), metadataRequest(target));
                metadata = call.result;
            }
            return metadata.thenApply(exposed -> bound(target, lease, exposed)).whenComplete((made, failed) -> {
                if (failed != null) {
                    lease.release();
                }
            });
        });
    }

    /** A connection for the metadata call itself, before the metadata is known. */
    private static Proxy.Connection unbound(PyroURI target, Channels.Lease lease) {
        return new Proxy.Connection(target, lease, ObjectMetadata.getDefaultInstance());
    }

    private static MetadataRequest metadataRequest(PyroURI target) {
        return MetadataRequest.newBuilder().setObject(target.object()).build();
    }

    private static Proxy.Connection bound(PyroURI target, Channels.Lease lease, ObjectMetadata metadata) {
        if (metadata.getMethodsCount() == 0 && metadata.getAttrsCount() == 0) {
            throw new PyroError("remote object '" + target + "' doesn't expose any methods or attributes."
                    + " Did you forget setting @Expose on them?");
        }
        return new Proxy.Connection(target, lease, metadata);
    }

    /** Threads that resolve PYRONAME and PYROMETA URIs for asynchronous bindings; made on first use. */
    private static final class Resolvers {
        static final Executor EXECUTOR = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "pyromesh-resolver");
            thread.setDaemon(true);
            return thread;
        });
    }
}
