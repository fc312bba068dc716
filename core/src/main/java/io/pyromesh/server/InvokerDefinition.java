package io.pyromesh.server;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.MessageTooLargeError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.proto.v1.InvokerGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
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

    /**
     * The transport's own limit, a little above {@code MAX_MESSAGE_SIZE}: gRPC refuses a message beyond
     * its limit before reading it, but without a Pyro error detail, so the exact limit is checked here.
     */
    static int transportLimit(int maxMessageSize) {
        return (int) Math.min(Integer.MAX_VALUE, maxMessageSize + Math.max(64 * 1024L, maxMessageSize / 8L));
    }

    static ServerServiceDefinition bind(InvokerService service, PyroConfig config) {
        Limits limits = new Limits(config.maxMessageSize(), config.maxValues());
        return ServerServiceDefinition.builder(InvokerGrpc.SERVICE_NAME)
                .addMethod(checked(InvokerGrpc.getInvokeMethod(), limits), ServerCalls.asyncUnaryCall(refusing(service::invoke)))
                .addMethod(checked(InvokerGrpc.getInvokeStreamMethod(), limits), ServerCalls.asyncServerStreamingCall(refusing(service::invokeStream)::invoke))
                .addMethod(checked(InvokerGrpc.getInvokeBatchMethod(), limits), ServerCalls.asyncUnaryCall(refusing(service::invokeBatch)))
                .addMethod(checked(InvokerGrpc.getGetMetadataMethod(), limits), ServerCalls.asyncUnaryCall(refusing(service::getMetadata)))
                .build();
    }

    private record Limits(int maxMessageSize, int maxValues) {}

    private static <Q, R> ServerCalls.UnaryMethod<Parsed<Q>, R> refusing(BiConsumer<Q, StreamObserver<R>> handler) {
        return (request, out) -> {
            if (request.refusal() != null) {
                out.onError(GrpcErrors.toStatus(request.refusal()));
            } else {
                handler.accept(request.message(), out);
            }
        };
    }

    private static <Q extends Message, R> MethodDescriptor<Parsed<Q>, R> checked(MethodDescriptor<Q, R> method, Limits limits) {
        MethodDescriptor.Marshaller<Q> messages = method.getRequestMarshaller();
        Descriptor type = ((MethodDescriptor.PrototypeMarshaller<Q>) messages).getMessagePrototype().getDescriptorForType();
        MethodDescriptor.Marshaller<Parsed<Q>> parsed = new MethodDescriptor.Marshaller<>() {
            @Override
            public InputStream stream(Parsed<Q> value) {
                return messages.stream(value.message());
            }

            @Override
            public Parsed<Q> parse(InputStream stream) {
                try {
                    InputStream request = scanned(stream, type, limits);
                    return new Parsed<>(messages.parse(request), null);
                } catch (PyroError refused) {
                    return new Parsed<>(null, refused);
                } catch (IOException | StatusRuntimeException malformed) {
                    return new Parsed<>(null, new SerializeError("malformed request: " + reason(malformed)));
                }
            }
        };
        return method.toBuilder(parsed, method.getResponseMarshaller()).build();
    }

    /** The request, once its size and its number of values are known to be within the limits. */
    private static InputStream scanned(InputStream stream, Descriptor type, Limits limits) throws IOException {
        int size = stream.available();
        if (size > limits.maxMessageSize()) {
            throw new MessageTooLargeError("message too large (" + size + ", max=" + limits.maxMessageSize() + ")");
        }
        InputStream request = stream;
        if (!request.markSupported()) {
            request = new ByteArrayInputStream(stream.readAllBytes());
        }
        request.mark(Integer.MAX_VALUE);
        RequestScan.check(request, type, limits.maxValues());
        request.reset();
        return request;
    }

    private static String reason(Exception malformed) {
        Throwable cause = malformed instanceof StatusRuntimeException && malformed.getCause() != null ? malformed.getCause() : malformed;
        if (cause.getMessage() != null) {
            return cause.getMessage();
        }
        return malformed instanceof StatusRuntimeException status ? String.valueOf(status.getStatus().getDescription()) : cause.toString();
    }
}
