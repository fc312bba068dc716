package io.pyromesh.client;

import com.google.protobuf.MessageLite;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.MessageTooLargeError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.RemoteException;
import io.pyromesh.errors.SecurityError;
import io.pyromesh.internal.CallState;
import io.pyromesh.internal.Channels;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.internal.NameResolution;
import io.pyromesh.proto.v1.BatchRequest;
import io.pyromesh.proto.v1.BatchResponse;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.MetadataRequest;
import io.pyromesh.proto.v1.ObjectMetadata;
import io.pyromesh.proto.v1.ProxyRef;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.values.ValueCodec;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a remote object: calls on it go to the object, wherever it lives (Pyro's
 * {@code Proxy}). This is the dynamic form; {@code Pyro.proxy(uri, Warehouse.class)} gives a typed one.
 *
 * <pre>{@code
 * try (Proxy echo = new Proxy("PYRO:test.echoserver@localhost:9999")) {
 *     Object reply = echo.call("echo", "hello");
 *     echo.set("verbose", true);
 *     try (CloseableIterator<Object> items = echo.stream("generator")) {
 *         items.forEachRemaining(System.out::println);
 *     }
 * }
 * }</pre>
 *
 * <p>Creating a proxy does no I/O. The first call connects and fetches the object's metadata, once;
 * after that, names the object does not expose are refused locally, oneway methods return as soon as
 * the daemon has accepted them, and methods returning a stream give a {@link CloseableIterator}.
 * {@link #close()} releases the connection; a later call connects again, so a proxy survives its
 * daemon restarting on the same address.
 *
 * <p>Unlike Pyro's proxies, which belong to the thread that made them, a Pyromesh proxy is safe to
 * share between threads and calls from several threads run concurrently (gRPC multiplexes them over
 * one connection).
 */
public class Proxy implements AutoCloseable {
    private static final String GETATTR = "__getattr__";
    private static final String SETATTR = "__setattr__";
    /** The longest a call waits for a failed connection to be re-established before trying. */
    private static final Duration RECONNECT_WAIT = Duration.ofSeconds(2);

    private final PyroURI uri;
    private final PyroConfig config;
    /** Encodes arguments and decodes results, making received proxies with this proxy's configuration. */
    final ValueCodec codec;
    private final ObjectMetadata knownMetadata;
    private final String session = UUID.randomUUID().toString();
    private volatile Duration timeout;
    private volatile int maxRetries;
    private volatile Connection connection;
    private volatile boolean calledObject;

    /**
     * What a bound proxy knows: where the object is, and what it exposes (as the daemon sent it, for
     * passing this proxy on, and as sets).
     */
    record Connection(PyroURI target, Channels.Lease lease, ObjectMetadata wireMetadata, RemoteMetadata metadata) {
        Connection(PyroURI target, Channels.Lease lease, ObjectMetadata wireMetadata) {
            this(target, lease, wireMetadata, RemoteMetadata.of(wireMetadata));
        }
    }

    public Proxy(String uri) {
        this(PyroURI.parse(uri));
    }

    public Proxy(PyroURI uri) {
        this(uri, PyroConfig.current());
    }

    public Proxy(PyroURI uri, PyroConfig config) {
        this(uri, config, null);
    }

    /** A proxy that already knows the object's metadata (from a proxy reference), so binding needs no call. */
    Proxy(PyroURI uri, PyroConfig config, ObjectMetadata knownMetadata) {
        this.uri = uri;
        this.config = config;
        this.codec = ProxyReferences.codec(config);
        this.knownMetadata = knownMetadata;
        this.timeout = config.commTimeout();
        this.maxRetries = config.maxRetries();
    }

    /** The URI this proxy was made with. */
    public PyroURI uri() {
        return uri;
    }

    /** The per-call timeout; zero means none. Starts as {@code COMMTIMEOUT}. */
    public Duration timeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        this.timeout = timeout;
    }

    /** How often a call is re-sent after a timeout or a lost connection. Starts as {@code MAX_RETRIES}. */
    public int maxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        this.maxRetries = maxRetries;
    }

    /**
     * Connects and fetches the object's metadata, if not done yet (Pyro's {@code _pyroBind}).
     *
     * @return true if this call bound the proxy, false if it was bound already
     */
    public boolean bind() {
        if (connection != null) {
            return false;
        }
        synchronized (this) {
            if (connection != null) {
                return false;
            }
            connection = connect();
            return true;
        }
    }

    /** What the object exposes (binds first). */
    public RemoteMetadata metadata() {
        return connection().metadata();
    }

    /**
     * Calls a method. A method that returns a stream gives a {@link CloseableIterator}; a oneway
     * method gives null as soon as the daemon has accepted the call.
     */
    public Object call(String method, Object... args) {
        Connection bound = connection();
        if (bound.metadata().streaming().contains(method)) {
            return stream(bound, method, args, Object.class);
        }
        return invoke(bound, method, args, Object.class);
    }

    /**
     * Calls a method without waiting for it to run: the daemon runs it in the background, whether or
     * not the method is declared oneway, and its result and exceptions are lost.
     */
    public void callOneway(String method, Object... args) {
        Connection bound = connection();
        requireMethod(bound, method);
        send(bound, method, args, Object.class, true);
    }

    /** Calls a method whose result is a stream, and returns its items as they come. */
    public CloseableIterator<Object> stream(String method, Object... args) {
        return stream(connection(), method, args, Object.class);
    }

    /** Reads an exposed property. */
    public Object get(String property) {
        return getProperty(property, Object.class);
    }

    /** Writes an exposed property. */
    public void set(String property, Object value) {
        Connection bound = connection();
        requireAttr(bound, property);
        send(bound, SETATTR, new Object[] {property, value}, Object.class, false);
    }

    /** A typed view of this proxy: {@code type}'s methods become remote calls (see {@link TypedProxy}). */
    public <T> T as(Class<T> type) {
        return TypedProxy.create(this, type);
    }

    /** Starts recording calls to send in one round trip (Pyro's {@code BatchProxy}). */
    public Batch batch() {
        return new Batch(this);
    }

    Object getProperty(String property, Type type) {
        Connection bound = connection();
        requireAttr(bound, property);
        return send(bound, GETATTR, new Object[] {property}, type, false);
    }

    Object invoke(Connection bound, String method, Object[] args, Type resultType) {
        requireMethod(bound, method);
        return send(bound, method, args, resultType, bound.metadata().oneway().contains(method));
    }

    private Object send(Connection bound, String method, Object[] args, Type resultType, boolean oneway) {
        InvokeRequest request = request(bound, method, args).setOneway(oneway).build();
        CallHeaders headers = new CallHeaders(session);
        InvokeResponse response = blocking(bound, InvokerGrpc.getInvokeMethod(), request, headers);
        CallState.current().setReceivedAnnotations(headers.received());
        if (response.hasError()) {
            throw RemoteException.raised(response.getError());
        }
        return oneway || resultType == void.class ? null : codec.decode(response.getResult(), resultType);
    }

    @SuppressWarnings("unchecked") // items decode to itemType, which the caller's T stands for
    <T> CloseableIterator<T> stream(Connection bound, String method, Object[] args, Type itemType) {
        requireMethod(bound, method);
        InvokeRequest request = request(bound, method, args).build();
        CallHeaders headers = new CallHeaders(session);
        RemoteStream<T> items = new RemoteStream<>(
                value -> (T) codec.decode(value, itemType),
                error -> error instanceof StatusRuntimeException status ? failed(bound, status)
                        : error instanceof RuntimeException runtime ? runtime : new PyroError(String.valueOf(error), error),
                timeout, headers);
        checkSize(request);
        ManagedChannel channel = readyChannel(bound);
        // no deadline: the stream may run for ever; the timeout bounds the wait for each item instead
        CallOptions options = callOptions().withDeadline(null);
        ClientCalls.asyncServerStreamingCall(
                ClientInterceptors.intercept(channel, headers).newCall(InvokerGrpc.getInvokeStreamMethod(), options),
                request, items);
        return items;
    }

    BatchResponse sendBatch(List<InvokeRequest> calls, boolean oneway) {
        Connection bound = connection();
        for (InvokeRequest call : calls) {
            requireMethod(bound, call.getMethod());
        }
        BatchRequest request = BatchRequest.newBuilder().setObject(bound.target().object()).addAllCalls(calls).setOneway(oneway).build();
        CallHeaders headers = new CallHeaders(session);
        BatchResponse response = blocking(bound, InvokerGrpc.getInvokeBatchMethod(), request, headers);
        CallState.current().setReceivedAnnotations(headers.received());
        return response;
    }

    private InvokeRequest.Builder request(Connection bound, String method, Object[] args) {
        InvokeRequest.Builder request = InvokeRequest.newBuilder().setObject(bound.target().object()).setMethod(method);
        // call("m", null) hands varargs a null array: the caller meant one null argument
        for (Object arg : args == null ? new Object[] {null} : args) {
            request.addArgs(codec.encode(arg));
        }
        calledObject = true;
        return request;
    }

    private void requireMethod(Connection bound, String method) {
        if (!bound.metadata().methods().contains(method)) {
            throw noSuchMember(method);
        }
    }

    private void requireAttr(Connection bound, String property) {
        if (!bound.metadata().attrs().contains(property)) {
            throw noSuchMember(property);
        }
    }

    SecurityError noSuchMember(String member) {
        return new SecurityError("remote object '" + uri + "' has no exposed attribute or method '" + member + "'");
    }

    Connection connection() {
        Connection bound = connection;
        if (bound == null) {
            bind();
            bound = connection;
        }
        return bound;
    }

    private Connection connect() {
        PyroURI target = NameResolution.resolve(uri, config);
        Channels.Lease lease = Channels.shared().acquire(target.grpcTarget(), config);
        try {
            ObjectMetadata metadata = knownMetadata != null ? knownMetadata
                    : blocking(new Connection(target, lease, ObjectMetadata.getDefaultInstance()), InvokerGrpc.getGetMetadataMethod(),
                            MetadataRequest.newBuilder().setObject(target.object()).build(), new CallHeaders(null));
            if (metadata.getMethodsCount() == 0 && metadata.getAttrsCount() == 0) {
                throw new PyroError("remote object '" + target + "' doesn't expose any methods or attributes."
                        + " Did you forget setting @Expose on them?");
            }
            return new Connection(target, lease, metadata);
        } catch (RuntimeException failed) {
            lease.release();
            throw failed;
        }
    }

    /** Calls with the retry, reconnect and error rules of a proxy. */
    private <Q extends MessageLite, R> R blocking(Connection bound, MethodDescriptor<Q, R> method, Q request, CallHeaders headers) {
        checkSize(request);
        for (int attempt = 0; ; attempt++) {
            ManagedChannel channel = readyChannel(bound);
            try {
                return ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel, headers), method, callOptions(), request);
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                boolean retryable = code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
                // a status with a Pyro error detail is the daemon's considered answer, not a lost call
                boolean answered = e.getTrailers() != null && e.getTrailers().containsKey(GrpcErrors.ERROR_DETAIL);
                if (retryable && !answered && attempt < maxRetries) {
                    continue;
                }
                throw failed(bound, e);
            }
        }
    }

    /** Refuses a request the daemon would refuse anyway, before sending it (Pyro's message). */
    private void checkSize(MessageLite request) {
        int size = request.getSerializedSize();
        if (size > config.maxMessageSize()) {
            throw new MessageTooLargeError("message too large (" + size + ", max=" + config.maxMessageSize() + ")");
        }
    }

    /** Maps a failed call; a lost connection makes a PYRONAME/PYROMETA proxy look its name up again. */
    private PyroError failed(Connection bound, StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.UNAVAILABLE && uri.protocol() != PyroURI.Protocol.PYRO) {
            unbind(bound);
        }
        return GrpcErrors.fromStatus(e, bound.target().location());
    }

    /**
     * The channel, reconnected at once if its last attempt failed. gRPC would otherwise wait out its
     * back-off and fail calls meanwhile; reconnecting now (bounded by the timeout) is what lets the
     * first call after a daemon restarts succeed.
     */
    private ManagedChannel readyChannel(Connection bound) {
        ManagedChannel channel = bound.lease().channel();
        if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            channel.resetConnectBackoff();
            awaitSettled(channel, timeout.isZero() || timeout.compareTo(RECONNECT_WAIT) > 0 ? RECONNECT_WAIT : timeout);
        }
        return channel;
    }

    /** Waits until a reconnect attempt has succeeded or failed, or {@code limit} passed. */
    private static void awaitSettled(ManagedChannel channel, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        ConnectivityState state = channel.getState(true);
        while (state != ConnectivityState.READY && System.nanoTime() < deadline) {
            CountDownLatch changed = new CountDownLatch(1);
            channel.notifyWhenStateChanged(state, changed::countDown);
            try {
                if (!changed.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            state = channel.getState(false);
            if (state == ConnectivityState.TRANSIENT_FAILURE) {
                return;
            }
        }
    }

    private CallOptions callOptions() {
        CallOptions options = CallOptions.DEFAULT.withMaxOutboundMessageSize(config.maxMessageSize());
        Duration limit = timeout;
        if (!limit.isZero()) {
            options = options.withDeadlineAfter(limit.toNanos(), TimeUnit.NANOSECONDS);
        }
        return config.compression() ? options.withCompression("gzip") : options;
    }

    private synchronized void unbind(Connection bound) {
        if (connection == bound) {
            connection = null;
            bound.lease().release();
        }
    }

    /**
     * Releases the connection (Pyro's {@code _pyroRelease}) and ends this proxy's session on the daemon;
     * a later call connects again.
     */
    @Override
    public void close() {
        Connection bound;
        synchronized (this) {
            bound = connection;
            connection = null;
        }
        if (bound == null) {
            return;
        }
        if (calledObject) {
            calledObject = false;
            SessionCloser.closeSession(bound, session);
        } else {
            bound.lease().release();
        }
    }

    /** The reference that carries this proxy through a call (it arrives as a proxy for the same object). */
    ProxyRef toRef() {
        Connection bound = connection;
        ProxyRef.Builder ref = ProxyRef.newBuilder().setUri((bound == null ? uri : bound.target()).toString());
        ObjectMetadata metadata = bound != null ? bound.wireMetadata() : knownMetadata;
        if (metadata != null) {
            ref.setMetadata(metadata);
        }
        return ref.build();
    }

    /** Proxies are equal when their URIs are. */
    @Override
    public boolean equals(Object other) {
        return other instanceof Proxy proxy && proxy.uri.equals(uri);
    }

    @Override
    public int hashCode() {
        return uri.hashCode();
    }

    @Override
    public String toString() {
        Connection bound = connection;
        return "<Pyro Proxy for " + uri + (bound == null ? "; not connected>" : "; connected to " + bound.target() + ">");
    }
}
