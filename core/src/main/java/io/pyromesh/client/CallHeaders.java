package io.pyromesh.client;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.pyromesh.internal.CallState;
import io.pyromesh.internal.Headers;
import io.pyromesh.proto.v1.Annotations;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Sends one call's Pyromesh headers (correlation id, annotations, session) and keeps the annotations
 * its trailers bring back. One instance per call.
 */
final class CallHeaders implements ClientInterceptor {
    private final Metadata headers = new Metadata();
    private volatile Map<String, byte[]> received = Map.of();

    /** The headers for a call from the current thread, in the current call context. */
    CallHeaders(String session) {
        CallState context = CallState.current();
        UUID correlationId = context.correlationId();
        if (correlationId != null) {
            headers.put(Headers.CORRELATION_ID, correlationId.toString());
        }
        Map<String, byte[]> annotations = context.annotations();
        if (!annotations.isEmpty()) {
            Annotations.Builder sent = Annotations.newBuilder();
            annotations.forEach((key, value) -> sent.putEntries(key, ByteString.copyFrom(value)));
            headers.put(Headers.ANNOTATIONS, sent.build());
        }
        if (session != null) {
            headers.put(Headers.SESSION, session);
        }
    }

    /** The annotations the call's trailers carried (empty until it closed). */
    Map<String, byte[]> received() {
        return received;
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata requestHeaders) {
                requestHeaders.merge(headers);
                super.start(new SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        keep(trailers);
                        super.onClose(status, trailers);
                    }
                }, requestHeaders);
            }
        };
    }

    private void keep(Metadata trailers) {
        Annotations annotations;
        try {
            annotations = trailers.get(Headers.ANNOTATIONS);
        } catch (RuntimeException malformed) {
            return; // a peer's garbage annotations are not worth failing a finished call for
        }
        if (annotations != null) {
            Map<String, byte[]> copy = new LinkedHashMap<>();
            annotations.getEntriesMap().forEach((key, value) -> copy.put(key, value.toByteArray()));
            received = copy;
        }
    }
}
