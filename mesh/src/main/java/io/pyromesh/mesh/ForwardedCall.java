package io.pyromesh.mesh;

import io.grpc.Metadata;
import io.pyromesh.internal.Headers;
import java.net.SocketAddress;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a hop knows of a call it forwards: which Invoker method, the {@code object} and {@code method}
 * fields of the request, and the request headers. The payload (arguments, results) is never decoded.
 */
public final class ForwardedCall {
    /** The Invoker methods, by their gRPC names. */
    public enum Kind {
        INVOKE("Invoke"), INVOKE_STREAM("InvokeStream"), INVOKE_BATCH("InvokeBatch"), GET_METADATA("GetMetadata");

        private final String rpcName;

        Kind(String rpcName) {
            this.rpcName = rpcName;
        }

        /** The gRPC method name, e.g. {@code "InvokeStream"}. */
        public String rpcName() {
            return rpcName;
        }
    }

    private static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
    /** W3C trace context version 00: version, trace id, parent id, flags. */
    private static final Pattern TRACEPARENT_FORMAT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}.*");

    private final Kind kind;
    private final String object;
    private final String method;
    private final List<String> batchMethods;
    private final Metadata headers;
    private final SocketAddress caller;

    ForwardedCall(Kind kind, String object, String method, List<String> batchMethods, Metadata headers, SocketAddress caller) {
        this.kind = kind;
        this.object = object;
        this.method = method;
        this.batchMethods = List.copyOf(batchMethods);
        this.headers = headers;
        this.caller = caller;
    }

    public Kind kind() {
        return kind;
    }

    /** The request's {@code object}: an object id at a sidecar, a full URI at a gateway. */
    public String object() {
        return object;
    }

    /** The method of an Invoke or InvokeStream call; empty for InvokeBatch and GetMetadata. */
    public String method() {
        return method;
    }

    /** The methods of an InvokeBatch call, in order; empty for the other kinds. */
    public List<String> batchMethods() {
        return batchMethods;
    }

    /** The headers as they will be sent on; read them, do not change them. */
    public Metadata headers() {
        return headers;
    }

    /** The correlation id the call travels with (the caller's, or one this hop made). */
    public String correlationId() {
        return headers.get(Headers.CORRELATION_ID);
    }

    /** The trace id of a well-formed W3C {@code traceparent} header, or the empty string. */
    public String traceId() {
        String traceparent = headers.get(TRACEPARENT);
        if (traceparent == null) {
            return "";
        }
        var matcher = TRACEPARENT_FORMAT.matcher(traceparent);
        return matcher.matches() ? matcher.group(1) : "";
    }

    /** The caller's address, as the transport saw it (null if unknown). */
    public SocketAddress caller() {
        return caller;
    }

    @Override
    public String toString() {
        return kind.rpcName() + " " + object + (method.isEmpty() ? "" : "." + method);
    }
}
