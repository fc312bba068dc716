package io.pyromesh.server;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.grpc.Context;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.MessageTooLargeError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.internal.Aliasing;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.internal.ReceivedMessages;
import io.pyromesh.proto.v1.BatchRequest;
import io.pyromesh.proto.v1.BatchResponse;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.MetadataRequest;
import io.pyromesh.proto.v1.ObjectMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * The {@code pyromesh.v1.Invoker} service definition, with requests checked before they are parsed and
 * parsed so that every refusal is a Pyro error with its detail: a request over {@code MAX_MESSAGE_SIZE}
 * is a MessageTooLargeError, one holding more than {@code MAX_VALUES} values or malformed protobuf
 * (nesting beyond protobuf's recursion limit included) a SerializeError with the reason. gRPC's own
 * handling would answer without the {@code pyro-error-bin} detail, or UNKNOWN "Application error
 * processing RPC".
 */
final class InvokerDefinition {
    private InvokerDefinition() {}

    /** A request, or why it was refused. */
    private record Parsed<T>(T message, PyroError refusal) {}

    private record Limits(int maxMessageSize, int maxValues) {}

    /**
     * The transport's own limit, a little above {@code MAX_MESSAGE_SIZE}: gRPC refuses a message beyond
     * its limit before reading it, but without a Pyro error detail, so the exact limit is checked here.
     */
    static int transportLimit(int maxMessageSize) {
        return (int) Math.min(Integer.MAX_VALUE, maxMessageSize + Math.max(64 * 1024L, maxMessageSize / 8L));
    }

    /**
     * The service, for a server whose Invoker callbacks run on the transport's threads: a unary call's
     * method runs on {@code workers}, handed over with the call's context; a stream's is started by its
     * own pump thread ({@link InvokerService#invokeStream}), and metadata is a lookup, answered in place.
     */
    static ServerServiceDefinition bind(InvokerService service, PyroConfig config, Executor workers) {
        Limits limits = new Limits(config.maxMessageSize(), config.maxValues());
        MethodDescriptor<Parsed<InvokeRequest>, InvokeResponse> invoke = checked(InvokerGrpc.getInvokeMethod(), limits);
        MethodDescriptor<Parsed<InvokeRequest>, InvokeResponse> invokeStream = checked(InvokerGrpc.getInvokeStreamMethod(), limits);
        MethodDescriptor<Parsed<BatchRequest>, BatchResponse> invokeBatch = checked(InvokerGrpc.getInvokeBatchMethod(), limits);
        MethodDescriptor<Parsed<MetadataRequest>, ObjectMetadata> getMetadata = checked(InvokerGrpc.getGetMetadataMethod(), limits);
        // the generated schema rides along, so that server reflection (grpcurl) can describe Invoker
        ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(InvokerGrpc.SERVICE_NAME)
                .setSchemaDescriptor(InvokerGrpc.getServiceDescriptor().getSchemaDescriptor())
                .addMethod(invoke).addMethod(invokeStream).addMethod(invokeBatch).addMethod(getMetadata)
                .build();
        return ServerServiceDefinition.builder(descriptor)
                .addMethod(invoke, ServerCalls.asyncUnaryCall(handedTo(workers, refusing(service::invoke))))
                .addMethod(invokeStream, ServerCalls.asyncServerStreamingCall(refusing(service::invokeStream)::invoke))
                .addMethod(invokeBatch, ServerCalls.asyncUnaryCall(handedTo(workers, refusing(service::invokeBatch))))
                .addMethod(getMetadata, ServerCalls.asyncUnaryCall(refusing(service::getMetadata)))
                .build();
    }

    private static <Q, R> ServerCalls.UnaryMethod<Q, R> handedTo(Executor workers, ServerCalls.UnaryMethod<Q, R> method) {
        return (request, out) -> workers.execute(Context.current().wrap(() -> method.invoke(request, out)));
    }

    private static <Q, R> ServerCalls.UnaryMethod<Parsed<Q>, R> refusing(BiConsumer<Q, StreamObserver<R>> handler) {
        return (request, out) -> {
            if (request.refusal() != null) {
                out.onError(GrpcErrors.toStatus(request.refusal()));
            } else {
                handler.accept(request.message(), out);
            }
        };
    }

    /**
     * The method with a request marshaller that checks the request's size and number of values first,
     * reports a refused or malformed request instead of failing the call, and parses with aliasing: a
     * bytes value then points into the received buffer instead of being copied out of it (the buffer is
     * this request's own), one copy of a large payload saved.
     */
    private static <Q extends Message, R> MethodDescriptor<Parsed<Q>, R> checked(MethodDescriptor<Q, R> method, Limits limits) {
        MethodDescriptor.Marshaller<Q> messages = method.getRequestMarshaller();
        Q prototype = ((MethodDescriptor.PrototypeMarshaller<Q>) messages).getMessagePrototype();
        Descriptor type = prototype.getDescriptorForType();
        @SuppressWarnings("unchecked") // the prototype of a Q marshaller parses Qs
        Parser<Q> parser = (Parser<Q>) prototype.getParserForType();
        MethodDescriptor.Marshaller<Parsed<Q>> parsed = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Parsed<Q> value) {
                return messages.stream(value.message());
            }

            @Override
            public Parsed<Q> parse(InputStream stream) {
                try {
                    byte[] request = bytesOf(stream, limits.maxMessageSize());
                    RequestScan.check(request, type, limits.maxValues());
                    return new Parsed<>(Aliasing.parse(parser, request), null);
                } catch (PyroError refused) {
                    return new Parsed<>(null, refused);
                } catch (InvalidProtocolBufferException malformed) {
                    return new Parsed<>(null, new SerializeError("malformed request: " + malformed.getMessage()));
                } catch (IOException unreadable) {
                    return new Parsed<>(null, new SerializeError("cannot read the request: " + unreadable.getMessage()));
                }
            }
        };
        return method.toBuilder(parsed, method.getResponseMarshaller()).build();
    }

    /** The whole request, in one copy when gRPC says how long it is (it always does), refused over the limit. */
    private static byte[] bytesOf(InputStream stream, int maxMessageSize) throws IOException {
        if (!(stream instanceof KnownLength)) {
            byte[] bytes = stream.readNBytes(maxMessageSize + 1);
            if (bytes.length > maxMessageSize) {
                throw tooLarge("more than " + maxMessageSize, maxMessageSize);
            }
            return bytes;
        }
        int size = stream.available();
        if (size > maxMessageSize) {
            throw tooLarge(String.valueOf(size), maxMessageSize);
        }
        return ReceivedMessages.readWhole(stream);
    }

    private static MessageTooLargeError tooLarge(String size, int maxMessageSize) {
        return new MessageTooLargeError("message too large (" + size + ", max=" + maxMessageSize + ")");
    }
}
