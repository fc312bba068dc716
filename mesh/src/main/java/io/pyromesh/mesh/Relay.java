package io.pyromesh.mesh;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientStreamTracer;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.MessageTooLargeError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.internal.Headers;
import io.pyromesh.mesh.operations.MeshMetrics;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One forwarded call: the caller's side ({@code downstream}, a server call) joined to the target's
 * ({@code upstream}, a client call). The request is read whole (it is one message for every Invoker
 * method); responses are relayed one at a time, the next asked of the target only when the caller's
 * side is ready for it, so at most one response sits in this hop per call.
 */
final class Relay extends ServerCall.Listener<byte[]> {
    private static final Logger LOG = Logger.getLogger(Relay.class.getName());
    private static final String REFUSED = "(refused)";
    private static final int LABEL_LIMIT = 200;

    record Settings(Route route, Supplier<String> hop, boolean compress, int maxMessageSize, MeshMetrics metrics, CallLog log) {}

    private final Settings settings;
    private final ForwardedCall.Kind kind;
    private final MethodDescriptor<byte[], byte[]> method;
    private final ServerCall<byte[], byte[]> downstream;
    private final Metadata headers;
    private final Deadline deadline;
    private final MeshMetrics.Call metered;
    private final long started = System.nanoTime();
    /** Set when a response was relayed and the caller's side was not ready for another. */
    private final AtomicBoolean awaitingReady = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ClientCall<byte[], byte[]> upstream;
    private volatile boolean cancelled;
    private volatile ForwardedCall call;
    private volatile String routedTo = "";
    private boolean received;
    private byte[] request;

    private Relay(Settings settings, ForwardedCall.Kind kind, MethodDescriptor<byte[], byte[]> method,
            ServerCall<byte[], byte[]> downstream, Metadata received) {
        this.settings = settings;
        this.kind = kind;
        this.method = method;
        this.downstream = downstream;
        this.headers = PassedHeaders.of(received);
        if (!headers.containsKey(Headers.CORRELATION_ID)) {
            headers.put(Headers.CORRELATION_ID, freshCorrelationId().toString());
        }
        this.deadline = Context.current().getDeadline();
        this.metered = settings.metrics() == null ? null : settings.metrics().callStarted(kind == ForwardedCall.Kind.INVOKE_STREAM);
    }

    static ServerCall.Listener<byte[]> start(Settings settings, ForwardedCall.Kind kind, MethodDescriptor<byte[], byte[]> method,
            ServerCall<byte[], byte[]> downstream, Metadata headers) {
        Relay relay = new Relay(settings, kind, method, downstream, headers);
        if (settings.compress()) {
            downstream.setCompression("gzip");
        }
        downstream.request(1);
        return relay;
    }

    @Override
    public void onMessage(byte[] message) {
        if (received) {
            return; // every Invoker method takes one request; gRPC refuses a second before we see it
        }
        received = true;
        if (message.length > settings.maxMessageSize()) {
            refuse(Status.Code.RESOURCE_EXHAUSTED, new MessageTooLargeError("request of " + message.length
                    + " bytes is larger than MAX_MESSAGE_SIZE (" + settings.maxMessageSize() + ")"));
            return;
        }
        RequestFields fields;
        try {
            fields = RequestFields.read(kind, message);
        } catch (InvalidProtocolBufferException malformed) {
            refuse(Status.Code.INVALID_ARGUMENT, new SerializeError("malformed request: " + malformed.getMessage()));
            return;
        }
        ForwardedCall forwarded = new ForwardedCall(kind, fields.object, fields.method, fields.batchMethods, headers,
                downstream.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        call = forwarded;
        Target target;
        try {
            target = settings.route().route(forwarded);
        } catch (HopException refused) {
            refuse(refused.code(), refused.error());
            return;
        } catch (PyroError refused) {
            refuse(GrpcErrors.codeFor(refused), refused);
            return;
        } catch (RuntimeException bug) {
            LOG.log(Level.WARNING, settings.hop().get() + ": the route failed on " + forwarded, bug);
            refuse(Status.Code.INTERNAL, new PyroError("the hop could not route the call: " + bug));
            return;
        }
        request = fields.withObject(target.objectId());
        attempt(target);
    }

    @Override
    public void onHalfClose() {
        if (!received) {
            refuse(Status.Code.INVALID_ARGUMENT, new SerializeError("malformed request: the call ended without a request message"));
        }
    }

    @Override
    public void onCancel() {
        cancelled = true;
        ClientCall<byte[], byte[]> target = upstream;
        if (target != null) {
            target.cancel("the caller cancelled the call", null);
        } else {
            finish(Status.CANCELLED.withDescription("the caller cancelled the call"), false);
        }
    }

    @Override
    public void onReady() {
        if (awaitingReady.compareAndSet(true, false)) {
            upstream.request(1);
        }
    }

    private void attempt(Target target) {
        routedTo = target.describe();
        Attempt attempt = new Attempt(target);
        CallOptions options = CallOptions.DEFAULT.withStreamTracerFactory(attempt.tracers);
        if (deadline != null) {
            options = options.withDeadline(deadline);
        }
        if (settings.compress()) {
            options = options.withCompression("gzip");
        }
        ClientCall<byte[], byte[]> next;
        try {
            next = target.channel().newCall(method, options);
        } catch (RuntimeException unusable) {
            // e.g. a channel shut down under us: nothing was sent, and the caller learns why from this hop
            target.finished(Status.UNAVAILABLE.withDescription(String.valueOf(unusable.getMessage())), false);
            refuse(Status.Code.UNAVAILABLE, new CommunicationError("cannot call " + target.describe() + ": " + unusable.getMessage()));
            return;
        }
        upstream = next;
        Metadata sent = new Metadata();
        sent.merge(headers);
        next.start(attempt, sent);
        next.request(1);
        next.sendMessage(request);
        next.halfClose();
        if (cancelled) {
            next.cancel("the caller cancelled the call", null);
        }
    }

    /** Fails the call with an error of this hop's own. */
    private void refuse(Status.Code code, PyroError error) {
        StatusRuntimeException status = GrpcErrors.toStatus(error, code, settings.hop().get());
        close(status.getStatus(), status.getTrailers(), true);
    }

    private void close(Status status, Metadata trailers, boolean byHop) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            downstream.close(status, trailers);
        } catch (IllegalStateException alreadyClosed) {
            // gRPC closed the caller's side itself (e.g. the target sent a second response to a unary call)
        }
        finish(status, byHop);
    }

    private void finish(Status status, boolean byHop) {
        ForwardedCall forwarded = call;
        String object = forwarded == null || routedTo.isEmpty() ? REFUSED : label(forwarded.object());
        String methodName = forwarded == null || routedTo.isEmpty() ? REFUSED : label(methodOf(forwarded));
        if (metered != null) {
            metered.finished(kind.rpcName(), object, methodName, status.getCode(), byHop);
        }
        settings.log().finished(forwarded, kind, routedTo, status, byHop, System.nanoTime() - started);
    }

    private static String methodOf(ForwardedCall call) {
        return switch (call.kind()) {
            case INVOKE, INVOKE_STREAM -> call.method();
            case INVOKE_BATCH -> "(batch)";
            case GET_METADATA -> "(metadata)";
        };
    }

    private static String label(String text) {
        return text.length() <= LABEL_LIMIT ? text : text.substring(0, LABEL_LIMIT) + "...";
    }

    /** As the daemon makes them: correlation ids are not secrets, and the secure generator is a lock. */
    private static UUID freshCorrelationId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low);
    }

    /**
     * One attempt at one target: relays what comes back, and (as the attempt's stream tracer factory)
     * learns whether the request was written to a connection and whether the status came from the peer.
     */
    private final class Attempt extends ClientCall.Listener<byte[]> {
        private final Target target;
        /** The request's headers were written to a connection: from then on, the target may have run the call. */
        private volatile boolean sent;
        /** Trailers came from the peer, so the status is the target's (or a hop's beyond it), not ours. */
        private volatile boolean fromPeer;
        private boolean relayed;
        final ClientStreamTracer.Factory tracers = new ClientStreamTracer.Factory() {
            @Override
            public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata streamHeaders) {
                return new ClientStreamTracer() {
                    @Override
                    public void outboundHeaders() {
                        sent = true;
                    }

                    @Override
                    public void inboundTrailers(Metadata trailers) {
                        fromPeer = true;
                    }
                };
            }
        };

        Attempt(Target target) {
            this.target = target;
        }

        @Override
        public void onHeaders(Metadata responseHeaders) {
            relayed = true;
            try {
                downstream.sendHeaders(PassedHeaders.of(responseHeaders));
            } catch (IllegalStateException callerGone) {
                upstream.cancel("the caller's side of the call is closed", null);
            }
        }

        @Override
        public void onMessage(byte[] response) {
            relayed = true;
            try {
                downstream.sendMessage(response);
            } catch (IllegalStateException callerGone) {
                upstream.cancel("the caller's side of the call is closed", null);
                return;
            }
            awaitingReady.set(true);
            if (downstream.isReady() && awaitingReady.compareAndSet(true, false)) {
                upstream.request(1);
            }
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            target.finished(status, sent);
            if (!status.isOk() && !sent && !relayed && !cancelled && status.getCode() == Status.Code.UNAVAILABLE) {
                Target next = target.failover();
                if (next != null) {
                    if (settings.metrics() != null) {
                        settings.metrics().failedOver();
                    }
                    settings.log().failedOver(call, target.describe(), next.describe(), status);
                    attempt(next);
                    return;
                }
            }
            if (fromPeer) {
                close(status, PassedHeaders.of(trailers), false);
            } else {
                PyroError error = GrpcErrors.fromStatus(status.asRuntimeException(trailers), target.describe());
                refuse(status.getCode(), error);
            }
        }
    }
}
