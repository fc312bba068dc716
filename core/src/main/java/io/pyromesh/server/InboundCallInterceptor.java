package io.pyromesh.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/** Reads Pyromesh's request headers into an {@link InboundCall} and writes its response trailers. */
final class InboundCallInterceptor implements ServerInterceptor {
    private final boolean compress;

    InboundCallInterceptor(boolean compress) {
        this.compress = compress;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        InboundCall inbound;
        try {
            inbound = InboundCall.from(headers, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        } catch (IllegalArgumentException malformed) {
            call.close(Status.INVALID_ARGUMENT.withDescription(malformed.getMessage()), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        if (compress) {
            call.setCompression("gzip");
        }
        ServerCall<Q, R> withTrailers = new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                inbound.writeTrailers(trailers);
                super.close(status, trailers);
            }
        };
        return Contexts.interceptCall(Context.current().withValue(InboundCall.KEY, inbound), withTrailers, headers, next);
    }
}
