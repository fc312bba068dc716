package io.pyromesh.server;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.pyromesh.errors.GrpcErrors;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.BatchRequest;
import io.pyromesh.proto.v1.BatchResponse;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.MetadataRequest;
import io.pyromesh.proto.v1.ObjectMetadata;
import java.io.IOException;
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
        MethodDescriptor<Parsed<InvokeRequest>, InvokeResponse> invoke = tolerant(InvokerGrpc.getInvokeMethod());
        MethodDescriptor<Parsed<InvokeRequest>, InvokeResponse> invokeStream = tolerant(InvokerGrpc.getInvokeStreamMethod());
        MethodDescriptor<Parsed<BatchRequest>, BatchResponse> invokeBatch = tolerant(InvokerGrpc.getInvokeBatchMethod());
        MethodDescriptor<Parsed<MetadataRequest>, ObjectMetadata> getMetadata = tolerant(InvokerGrpc.getGetMetadataMethod());
        // the generated schema rides along, so that server reflection (grpcurl) can describe Invoker
        ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(InvokerGrpc.SERVICE_NAME)
                .setSchemaDescriptor(InvokerGrpc.getServiceDescriptor().getSchemaDescriptor())
                .addMethod(invoke).addMethod(invokeStream).addMethod(invokeBatch).addMethod(getMetadata)
                .build();
        return ServerServiceDefinition.builder(descriptor)
                .addMethod(invoke, ServerCalls.asyncUnaryCall(checked(service::invoke)))
                .addMethod(invokeStream, ServerCalls.asyncServerStreamingCall(checked(service::invokeStream)::invoke))
                .addMethod(invokeBatch, ServerCalls.asyncUnaryCall(checked(service::invokeBatch)))
                .addMethod(getMetadata, ServerCalls.asyncUnaryCall(checked(service::getMetadata)))
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

    /**
     * The method with a request marshaller that reports a malformed request instead of failing the call,
     * and that parses with aliasing: a bytes value then points into the received buffer instead of being
     * copied out of it (the buffer is this request's own), one copy of a large payload saved.
     */
    private static <Q extends MessageLite, R> MethodDescriptor<Parsed<Q>, R> tolerant(MethodDescriptor<Q, R> method) {
        MethodDescriptor.Marshaller<Q> messages = method.getRequestMarshaller();
        @SuppressWarnings("unchecked") // the prototype of a Q marshaller parses Qs
        Parser<Q> parser = (Parser<Q>) ((MethodDescriptor.PrototypeMarshaller<Q>) messages).getMessagePrototype().getParserForType();
        MethodDescriptor.Marshaller<Parsed<Q>> parsed = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Parsed<Q> value) {
                return messages.stream(value.message());
            }

            @Override
            public Parsed<Q> parse(InputStream stream) {
                try {
                    CodedInputStream input = CodedInputStream.newInstance(bytesOf(stream));
                    input.enableAliasing(true);
                    return new Parsed<>(parser.parseFrom(input), null);
                } catch (InvalidProtocolBufferException malformed) {
                    return new Parsed<>(null, String.valueOf(malformed.getMessage()));
                } catch (IOException unreadable) {
                    return new Parsed<>(null, "cannot read the request: " + unreadable.getMessage());
                }
            }
        };
        return method.toBuilder(parsed, method.getResponseMarshaller()).build();
    }

    /** The whole request, read in one copy when gRPC says how long it is (it always does). */
    private static byte[] bytesOf(InputStream stream) throws IOException {
        if (!(stream instanceof KnownLength)) {
            return stream.readAllBytes();
        }
        byte[] bytes = new byte[stream.available()];
        int read = stream.readNBytes(bytes, 0, bytes.length);
        if (read != bytes.length) {
            throw new IOException("the request ended after " + read + " of " + bytes.length + " bytes");
        }
        return bytes;
    }
}
