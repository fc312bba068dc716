package io.pyromesh.server;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.proto.v1.InvokerGrpc;
import java.io.InputStream;
import java.util.function.BiConsumer;

/**
 * The {@code pyromesh.v1.Invoker} service definition, with requests parsed so that a malformed one
 * (bad protobuf, nesting beyond protobuf's recursion limit) is answered INVALID_ARGUMENT with the
 * reason. gRPC's generated binding would answer UNKNOWN "Application error processing RPC" instead.
 */
final class InvokerDefinition {
    private InvokerDefinition() {}

    /** A request, or why it could not be parsed. */
    private record Parsed<T>(T message, String error) {}

    static ServerServiceDefinition bind(InvokerService service) {
        return ServerServiceDefinition.builder(InvokerGrpc.SERVICE_NAME)
                .addMethod(tolerant(InvokerGrpc.getInvokeMethod()), ServerCalls.asyncUnaryCall(checked(service::invoke)))
                .addMethod(tolerant(InvokerGrpc.getInvokeStreamMethod()), ServerCalls.asyncServerStreamingCall(checked(service::invokeStream)::invoke))
                .addMethod(tolerant(InvokerGrpc.getInvokeBatchMethod()), ServerCalls.asyncUnaryCall(checked(service::invokeBatch)))
                .addMethod(tolerant(InvokerGrpc.getGetMetadataMethod()), ServerCalls.asyncUnaryCall(checked(service::getMetadata)))
                .build();
    }

    private static <Q, R> ServerCalls.UnaryMethod<Parsed<Q>, R> checked(BiConsumer<Q, StreamObserver<R>> handler) {
        return (request, out) -> {
            if (request.error() != null) {
                out.onError(GrpcErrors.toStatus(new SerializeError("malformed request: " + request.error())));
            } else {
                handler.accept(request.message(), out);
            }
        };
    }

    private static <Q, R> MethodDescriptor<Parsed<Q>, R> tolerant(MethodDescriptor<Q, R> method) {
        MethodDescriptor.Marshaller<Q> messages = method.getRequestMarshaller();
        MethodDescriptor.Marshaller<Parsed<Q>> parsed = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Parsed<Q> value) {
                return messages.stream(value.message());
            }

            @Override
            public Parsed<Q> parse(InputStream stream) {
                try {
                    return new Parsed<>(messages.parse(stream), null);
                } catch (StatusRuntimeException malformed) {
                    Throwable cause = malformed.getCause();
                    return new Parsed<>(null, cause != null && cause.getMessage() != null
                            ? cause.getMessage() : String.valueOf(malformed.getStatus().getDescription()));
                }
            }
        };
        return method.toBuilder(parsed, method.getResponseMarshaller()).build();
    }
}
