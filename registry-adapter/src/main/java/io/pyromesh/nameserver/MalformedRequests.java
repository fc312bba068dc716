package io.pyromesh.nameserver;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A gRPC service whose requests that do not parse are answered INVALID_ARGUMENT "malformed request: ...",
 * as the Invoker service answers them, quietly. gRPC's generated binding would answer UNKNOWN and log a
 * stack trace for each, which lets anyone fill the name server's log.
 */
final class MalformedRequests {
    private MalformedRequests() {}

    /** A request as received: the message, or why it did not parse. */
    private record Parsed<Q>(Q message, String error) {}

    static ServerServiceDefinition refused(ServerServiceDefinition service) {
        ServiceDescriptor original = service.getServiceDescriptor();
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
                .setSchemaDescriptor(original.getSchemaDescriptor());
        for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
            ServerMethodDefinition<?, ?> tolerant = tolerant(method);
            descriptor.addMethod(tolerant.getMethodDescriptor());
            methods.add(tolerant);
        }
        ServerServiceDefinition.Builder rebuilt = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(rebuilt::addMethod);
        return rebuilt.build();
    }

    private static <Q, R> ServerMethodDefinition<Parsed<Q>, R> tolerant(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        MethodDescriptor.Marshaller<Q> requests = descriptor.getRequestMarshaller();
        MethodDescriptor.Marshaller<Parsed<Q>> parsed = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Parsed<Q> value) {
                return requests.stream(value.message());
            }

            @Override
            public Parsed<Q> parse(InputStream stream) {
                try {
                    return new Parsed<>(requests.parse(stream), null);
                } catch (StatusRuntimeException malformed) {
                    Throwable cause = malformed.getCause();
                    return new Parsed<>(null, cause != null && cause.getMessage() != null
                            ? cause.getMessage() : String.valueOf(malformed.getStatus().getDescription()));
                }
            }
        };
        ServerCallHandler<Q, R> handler = method.getServerCallHandler();
        ServerCallHandler<Parsed<Q>, R> checking = (call, headers) -> new Checked<>(call, handler, headers, descriptor);
        return ServerMethodDefinition.create(descriptor.toBuilder(parsed, descriptor.getResponseMarshaller()).build(), checking);
    }

    /** Passes well-formed requests to the service's own handler; closes the call on a malformed one. */
    private static final class Checked<Q, R> extends ServerCall.Listener<Parsed<Q>> {
        private final ServerCall<Parsed<Q>, R> call;
        private final ServerCall.Listener<Q> service;
        private boolean refused;

        Checked(ServerCall<Parsed<Q>, R> call, ServerCallHandler<Q, R> handler, Metadata headers, MethodDescriptor<Q, R> method) {
            this.call = call;
            this.service = handler.startCall(new Unwrapped<>(call, method), headers);
        }

        @Override
        public void onMessage(Parsed<Q> request) {
            if (refused) {
                return;
            }
            if (request.error() != null) {
                refused = true;
                call.close(Status.INVALID_ARGUMENT.withDescription("malformed request: " + request.error()), new Metadata());
                return;
            }
            service.onMessage(request.message());
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
                service.onHalfClose();
            }
        }

        @Override
        public void onCancel() {
            service.onCancel();
        }

        @Override
        public void onComplete() {
            service.onComplete();
        }

        @Override
        public void onReady() {
            if (!refused) {
                service.onReady();
            }
        }
    }

    /** The call as the service's handler expects it: only the request type differs, and it only receives. */
    private static final class Unwrapped<Q, R> extends ServerCall<Q, R> {
        private final ServerCall<Parsed<Q>, R> call;
        private final MethodDescriptor<Q, R> method;

        Unwrapped(ServerCall<Parsed<Q>, R> call, MethodDescriptor<Q, R> method) {
            this.call = call;
            this.method = method;
        }

        @Override
        public void request(int numMessages) {
            call.request(numMessages);
        }

        @Override
        public void sendHeaders(Metadata headers) {
            call.sendHeaders(headers);
        }

        @Override
        public void sendMessage(R message) {
            call.sendMessage(message);
        }

        @Override
        public boolean isReady() {
            return call.isReady();
        }

        @Override
        public void close(Status status, Metadata trailers) {
            call.close(status, trailers);
        }

        @Override
        public boolean isCancelled() {
            return call.isCancelled();
        }

        @Override
        public void setMessageCompression(boolean enabled) {
            call.setMessageCompression(enabled);
        }

        @Override
        public void setCompression(String compressor) {
            call.setCompression(compressor);
        }

        @Override
        public void setOnReadyThreshold(int numBytes) {
            call.setOnReadyThreshold(numBytes);
        }

        @Override
        public Attributes getAttributes() {
            return call.getAttributes();
        }

        @Override
        public String getAuthority() {
            return call.getAuthority();
        }

        @Override
        public MethodDescriptor<Q, R> getMethodDescriptor() {
            return method;
        }
    }
}
