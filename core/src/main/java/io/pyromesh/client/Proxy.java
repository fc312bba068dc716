package io.pyromesh.client;

import com.google.protobuf.MessageLite;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.MessageTooLargeError;
import io.pyromesh.errors.ProtocolError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.RemoteException;
import io.pyromesh.errors.SecurityError;
import io.pyromesh.internal.CallState;
import io.pyromesh.internal.Channels;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.proto.v1.BatchRequest;
import io.pyromesh.proto.v1.BatchResponse;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.ObjectMetadata;
import io.pyromesh.proto.v1.ProxyRef;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.values.ValueCodec;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
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
 *     echo.callAsync("echo", "later").thenAccept(System.out::println);   // holds no thread meanwhile
 * }
 * }</pre>
 *
 * <p>Creating a proxy does no I/O. The first call connects and fetches the object's metadata, once;
 * after that, names the object does not expose are refused locally, oneway methods return as soon as
 * the daemon has accepted them, and methods returning a stream give a {@link CloseableIterator}.
 * {@link #close()} releases the connection; a later call connects again, so a proxy survives its
 * daemon restarting on the same address.
 *
 * <p><b>Asynchronous calls.</b> {@link #callAsync} returns at once with a {@link CompletableFuture}
 * and {@link #streamAsync} with a {@link Flow.Publisher}; no thread waits for the answer. Their
 * timeouts, retries and errors are those of blocking calls: the future fails with the exception the
 * blocking call would throw ({@code get()} wraps it in an ExecutionException, {@code join()} in a
 * CompletionException). The arguments are encoded, and the thread's {@code CallContext} read, when
 * the method is called; failures, including local refusals, complete the future rather than being
 * thrown. Cancelling the future cancels the call, and the daemon then cancels the stage of an async
 * remote method. Futures complete, and publishers signal, on gRPC's threads: hand slow work on to an
 * executor of your own ({@code thenApplyAsync(f, executor)}). The first asynchronous call binds the
 * proxy without blocking for a {@code PYRO:} URI; a {@code PYRONAME:} or {@code PYROMETA:} URI is
 * first resolved through the name server on a thread of Pyromesh's own, not the caller's. Annotations
 * the daemon sends back with an asynchronous call are not recorded in the thread's {@code CallContext}.
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
    private final Binder binder;
    private final String session = UUID.randomUUID().toString();
    private volatile Duration timeout;
    private volatile int maxRetries;
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

    /**
     * One call to send: the member (a method, or {@code __getattr__}/{@code __setattr__}), its encoded
     * arguments, and whether the daemon runs it in the background.
     */
    record Outgoing(String member, List<Value> args, boolean oneway) {}

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
        this.binder = new Binder(this, uri, config, knownMetadata);
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
     * Connects and fetches the object's metadata, if not done yet (Pyro's {@code _pyroBind}), or waits
     * for the binding another call started.
     *
     * @return true if the proxy was not bound when this was called, false if it was bound already
     */
    public boolean bind() {
        if (binder.current() != null) {
            return false;
        }
        binder.connection();
        return true;
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
        Outgoing outgoing = methodCall(bound, method, encode(args, null), null);
        if (bound.metadata().streaming().contains(method)) {
            return stream(bound, outgoing, Object.class, null);
        }
        return send(bound, outgoing, Object.class, null);
    }

    /**
     * Calls a method without waiting for its result: the future completes with the result, with null
     * once the daemon has accepted a oneway method, or with the exception {@link #call} would throw.
     * For a method whose result is a stream, use {@link #streamAsync}.
     */
    public CompletableFuture<Object> callAsync(String method, Object... args) {
        return sendAsync(encoded(args, null), (bound, values) -> {
            if (bound.metadata().streaming().contains(method)) {
                throw new ProtocolError("method '" + method + "' returns a stream: call it with streamAsync");
            }
            return methodCall(bound, method, values, null);
        }, Object.class, null);
    }

    /**
     * Calls a method without waiting for it to run: the daemon runs it in the background, whether or
     * not the method is declared oneway, and its result and exceptions are lost.
     */
    public void callOneway(String method, Object... args) {
        Connection bound = connection();
        requireMethod(bound, method, null);
        send(bound, new Outgoing(method, encode(args, null), true), Object.class, null);
    }

    /** Calls a method whose result is a stream, and returns its items as they come. */
    public CloseableIterator<Object> stream(String method, Object... args) {
        Connection bound = connection();
        return stream(bound, methodCall(bound, method, encode(args, null), null), Object.class, null);
    }

    /**
     * Calls a method whose result is a stream, when a subscriber subscribes: each subscription is one
     * call, whose items arrive as the subscriber requests them (its demand is the call's flow control,
     * so the daemon produces items no faster than they are consumed). {@code cancel()} stops the
     * stream on the daemon too. The proxy's timeout bounds the wait for each requested item.
     */
    public Flow.Publisher<Object> streamAsync(String method, Object... args) {
        return publisher(encoded(args, null), (bound, values) -> methodCall(bound, method, values, null), Object.class, null);
    }

    /** Reads an exposed property. */
    public Object get(String property) {
        return getProperty(property, Object.class, null);
    }

    /** Writes an exposed property. */
    public void set(String property, Object value) {
        setProperty(property, value, null);
    }

    /** A typed view of this proxy: {@code type}'s methods become remote calls (see {@link io.pyromesh.Pyro#proxy(PyroURI, Class)}). */
    public <T> T as(Class<T> type) {
        return TypedProxy.create(this, type);
    }

    /** Starts recording calls to send in one round trip (Pyro's {@code BatchProxy}). */
    public Batch batch() {
        return new Batch(this);
    }

    Object getProperty(String property, Type type, String caller) {
        Connection bound = connection();
        return send(bound, propertyRead(bound, property, caller), type, caller);
    }

    void setProperty(String property, Object value, String caller) {
        Connection bound = connection();
        send(bound, propertyWrite(bound, property, encode(new Object[] {value}, caller), caller), void.class, caller);
    }

    /** The call of a method, checked against what the object exposes. */
    Outgoing methodCall(Connection bound, String method, List<Value> args, String caller) {
        requireMethod(bound, method, caller);
        return new Outgoing(method, args, bound.metadata().oneway().contains(method));
    }

    Outgoing propertyRead(Connection bound, String property, String caller) {
        requireAttr(bound, property, caller);
        return new Outgoing(GETATTR, List.of(codec.encode(property)), false);
    }

    /** {@code value} is the property's new value, encoded, as a one-element list. */
    Outgoing propertyWrite(Connection bound, String property, List<Value> value, String caller) {
        requireAttr(bound, property, caller);
        List<Value> args = new ArrayList<>(2);
        args.add(codec.encode(property));
        args.addAll(value);
        return new Outgoing(SETATTR, args, false);
    }

    /** Sends a call and waits for its result, converted to {@code resultType}. */
    Object send(Connection bound, Outgoing outgoing, Type resultType, String caller) {
        CallHeaders headers = new CallHeaders(session);
        InvokeResponse response = blocking(bound, InvokerMethods.INVOKE, request(bound, outgoing), headers);
        CallState.current().setReceivedAnnotations(headers.received());
        return result(response, resultType, caller);
    }

    /**
     * Sends a call once the proxy is bound, without waiting: {@code plan} makes it from the bound proxy
     * and the encoded arguments, or refuses it by throwing.
     */
    CompletableFuture<Object> sendAsync(CompletableFuture<List<Value>> args, Plan plan, Type resultType, String caller) {
        UnaryCall<InvokeRequest, InvokeResponse> call = new UnaryCall<>(this, InvokerMethods.INVOKE, new CallHeaders(session));
        Connection bound = binder.current();
        if (bound != null && args.isDone() && !args.isCompletedExceptionally()) {
            start(call, bound, plan, args.join()); // bound already: no stages to chain
        } else {
            args.thenCompose(values -> connectionAsync().thenAccept(connected -> start(call, connected, plan, values)))
                    .exceptionally(refused -> {
                        call.fail(refused);
                        return null;
                    });
        }
        return Futures.map(call.result, response -> result(response, resultType, caller), failure -> failure);
    }

    private void start(UnaryCall<InvokeRequest, InvokeResponse> call, Connection bound, Plan plan, List<Value> values) {
        try {
            call.start(bound, request(bound, plan.outgoing(bound, values)));
        } catch (RuntimeException refused) {
            call.fail(refused);
        }
    }

    /** Makes the call to send from the bound proxy and the encoded arguments; throws to refuse it. */
    interface Plan {
        Outgoing outgoing(Connection bound, List<Value> args);
    }

    private Object result(InvokeResponse response, Type resultType, String caller) {
        if (response.hasError()) {
            throw RemoteException.raised(response.getError());
        }
        return resultType == void.class ? null : decode(response.getResult(), resultType, caller);
    }

    /** The items of a streamed call, as they are consumed. */
    @SuppressWarnings("unchecked") // items decode to itemType, which the caller's T stands for
    <T> CloseableIterator<T> stream(Connection bound, Outgoing outgoing, Type itemType, String caller) {
        InvokeRequest request = request(bound, outgoing);
        CallHeaders headers = new CallHeaders(session);
        RemoteStream<T> items = new RemoteStream<>(
                value -> (T) decode(value, itemType, caller),
                error -> error instanceof StatusRuntimeException status ? failed(bound, status)
                        : error instanceof RuntimeException runtime ? runtime : new PyroError(String.valueOf(error), error),
                timeout, headers);
        checkSize(request);
        ManagedChannel channel = readyChannelNow(bound);
        ClientCalls.asyncServerStreamingCall(
                ClientInterceptors.intercept(channel, headers).newCall(InvokerMethods.INVOKE_STREAM, streamOptions()),
                request, items);
        return items;
    }

    /** A publisher of a streamed call's items: each subscription sends the call once the proxy is bound. */
    @SuppressWarnings("unchecked") // items decode to itemType, which the caller's T stands for
    <T> Flow.Publisher<T> publisher(CompletableFuture<List<Value>> args, Plan plan, Type itemType, String caller) {
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber"); // Reactive Streams rule 1.9
            CallHeaders headers = new CallHeaders(session);
            CompletableFuture<Connection> bound = args.thenCompose(values -> connectionAsync());
            RemoteSubscription<T> subscription = new RemoteSubscription<>(subscriber,
                    value -> (T) decode(value, itemType, caller),
                    (status, trailers) -> failed(bound.join(), status.asRuntimeException(trailers)), timeout);
            subscriber.onSubscribe(subscription);
            bound.thenAccept(connected -> {
                InvokeRequest request = request(connected, plan.outgoing(connected, args.join()));
                checkSize(request);
                readyChannel(connected).thenAccept(channel -> subscription.start(
                        ClientInterceptors.intercept(channel, headers).newCall(InvokerMethods.INVOKE_STREAM, streamOptions()),
                        request));
            }).exceptionally(refused -> {
                subscription.fail(Futures.unwrapped(refused));
                return null;
            });
        };
    }

    /** No deadline: a stream may run for ever; the timeout bounds the wait for each item instead. */
    private CallOptions streamOptions() {
        return callOptions().withDeadline(null);
    }

    BatchResponse sendBatch(List<InvokeRequest> calls, boolean oneway) {
        Connection bound = connection();
        CallHeaders headers = new CallHeaders(session);
        BatchResponse response = blocking(bound, InvokerMethods.INVOKE_BATCH, batchRequest(bound, calls, oneway), headers);
        CallState.current().setReceivedAnnotations(headers.received());
        return response;
    }

    CompletableFuture<BatchResponse> sendBatchAsync(List<InvokeRequest> calls) {
        UnaryCall<BatchRequest, BatchResponse> call = new UnaryCall<>(this, InvokerMethods.INVOKE_BATCH, new CallHeaders(session));
        connectionAsync().thenAccept(bound -> call.start(bound, batchRequest(bound, calls, false)))
                .exceptionally(refused -> {
                    call.fail(refused);
                    return null;
                });
        return call.result;
    }

    private BatchRequest batchRequest(Connection bound, List<InvokeRequest> calls, boolean oneway) {
        for (InvokeRequest call : calls) {
            requireMethod(bound, call.getMethod(), null);
        }
        calledObject = true;
        return BatchRequest.newBuilder().setObject(bound.target().object()).addAllCalls(calls).setOneway(oneway).build();
    }

    private InvokeRequest request(Connection bound, Outgoing outgoing) {
        calledObject = true;
        return InvokeRequest.newBuilder().setObject(bound.target().object()).setMethod(outgoing.member())
                .addAllArgs(outgoing.args()).setOneway(outgoing.oneway()).build();
    }

    /** The arguments as values; a failure blames {@code caller} (a typed proxy's Java method), if given. */
    List<Value> encode(Object[] args, String caller) {
        // call("m", null) hands varargs a null array: the caller meant one null argument
        Object[] given = args == null ? new Object[] {null} : args;
        List<Value> values = new ArrayList<>(given.length);
        try {
            for (Object arg : given) {
                values.add(codec.encode(arg));
            }
        } catch (PyroError unencodable) {
            throw blame(caller, unencodable);
        }
        return values;
    }

    /** As {@link #encode}, with a failure in the future instead of thrown. */
    CompletableFuture<List<Value>> encoded(Object[] args, String caller) {
        try {
            return CompletableFuture.completedFuture(encode(args, caller));
        } catch (PyroError unencodable) {
            return CompletableFuture.failedFuture(unencodable);
        }
    }

    private Object decode(Value value, Type type, String caller) {
        try {
            return codec.decode(value, type);
        } catch (PyroError undecodable) {
            throw blame(caller, undecodable);
        }
    }

    /** {@code error} with {@code caller}, a typed proxy's Java method, named in its message (if given). */
    static PyroError blame(String caller, PyroError error) {
        if (caller == null) {
            return error;
        }
        PyroError named = PyroError.ofType(error.pyroName(), caller + ": " + error.getMessage(), error);
        return named == null ? error : named;
    }

    private void requireMethod(Connection bound, String method, String caller) {
        if (!bound.metadata().methods().contains(method)) {
            throw blame(caller, noSuchMember(method));
        }
    }

    private void requireAttr(Connection bound, String property, String caller) {
        if (!bound.metadata().attrs().contains(property)) {
            throw blame(caller, noSuchMember(property));
        }
    }

    SecurityError noSuchMember(String member) {
        return new SecurityError("remote object '" + uri + "' has no exposed attribute or method '" + member + "'");
    }

    Connection connection() {
        return binder.connection();
    }

    CompletableFuture<Connection> connectionAsync() {
        return binder.connectionAsync();
    }

    /** Calls with the retry, reconnect and error rules of a proxy. */
    <Q extends MessageLite, R> R blocking(Connection bound, MethodDescriptor<Q, R> method, Q request, CallHeaders headers) {
        checkSize(request);
        for (int attempt = 0; ; attempt++) {
            ManagedChannel channel = readyChannelNow(bound);
            try {
                return ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel, headers), method, callOptions(), request);
            } catch (StatusRuntimeException e) {
                if (!retries(e, attempt)) {
                    throw failed(bound, e);
                }
            }
        }
    }

    /**
     * Whether a failed attempt is sent again: it timed out or lost its connection, retries are left, and
     * the daemon did not answer it (a status with a Pyro error detail is its considered answer).
     */
    boolean retries(StatusRuntimeException e, int attempt) {
        Status.Code code = e.getStatus().getCode();
        boolean retryable = code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
        boolean answered = e.getTrailers() != null && e.getTrailers().containsKey(GrpcErrors.ERROR_DETAIL);
        return retryable && !answered && attempt < maxRetries;
    }

    /** Refuses a request the daemon would refuse anyway, before sending it (Pyro's message). */
    void checkSize(MessageLite request) {
        int size = request.getSerializedSize();
        if (size > config.maxMessageSize()) {
            throw new MessageTooLargeError("message too large (" + size + ", max=" + config.maxMessageSize() + ")");
        }
    }

    /** Maps a failed call; a lost connection makes a PYRONAME/PYROMETA proxy look its name up again. */
    PyroError failed(Connection bound, StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.UNAVAILABLE && uri.protocol() != PyroURI.Protocol.PYRO) {
            binder.drop(bound);
        }
        return GrpcErrors.fromStatus(e, bound.target().location());
    }

    /** The channel, reconnected first if its last attempt failed (bounded by the timeout, at most {@link #RECONNECT_WAIT}). */
    CompletableFuture<ManagedChannel> readyChannel(Connection bound) {
        return Reconnects.ready(bound.lease().channel(), reconnectLimit());
    }

    private ManagedChannel readyChannelNow(Connection bound) {
        return Reconnects.readyNow(bound.lease().channel(), reconnectLimit());
    }

    private Duration reconnectLimit() {
        Duration limit = timeout;
        return limit.isZero() || limit.compareTo(RECONNECT_WAIT) > 0 ? RECONNECT_WAIT : limit;
    }

    CallOptions callOptions() {
        CallOptions options = CallOptions.DEFAULT.withMaxOutboundMessageSize(config.maxMessageSize());
        Duration limit = timeout;
        if (!limit.isZero()) {
            options = options.withDeadlineAfter(limit.toNanos(), TimeUnit.NANOSECONDS);
        }
        return config.compression() ? options.withCompression("gzip") : options;
    }

    /**
     * Releases the connection (Pyro's {@code _pyroRelease}) and ends this proxy's session on the daemon;
     * a later call connects again.
     */
    @Override
    public void close() {
        Connection bound = binder.release();
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
        Connection bound = binder.current();
        ProxyRef.Builder ref = ProxyRef.newBuilder().setUri((bound == null ? uri : bound.target()).toString());
        ObjectMetadata metadata = bound != null ? bound.wireMetadata() : binder.knownMetadata();
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
        Connection bound = binder.current();
        return "<Pyro Proxy for " + uri + (bound == null ? "; not connected>" : "; connected to " + bound.target() + ">");
    }

}
