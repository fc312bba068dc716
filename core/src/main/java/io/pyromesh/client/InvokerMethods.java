package io.pyromesh.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.pyromesh.internal.Aliasing;
import io.pyromesh.internal.ReceivedMessages;
import io.pyromesh.proto.v1.BatchRequest;
import io.pyromesh.proto.v1.BatchResponse;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.InvokerGrpc;
import java.io.IOException;
import java.io.InputStream;

/**
 * The Invoker methods a proxy calls, their responses parsed with {@link Aliasing}: gRPC's own marshaller
 * reads a message into a buffer and then copies every bytes field out of it, so a result's bytes
 * reached the caller in three copies, now two (the daemon parses requests the same way).
 */
final class InvokerMethods {
    static final MethodDescriptor<InvokeRequest, InvokeResponse> INVOKE = aliasing(InvokerGrpc.getInvokeMethod());
    static final MethodDescriptor<InvokeRequest, InvokeResponse> INVOKE_STREAM = aliasing(InvokerGrpc.getInvokeStreamMethod());
    static final MethodDescriptor<BatchRequest, BatchResponse> INVOKE_BATCH = aliasing(InvokerGrpc.getInvokeBatchMethod());

    private InvokerMethods() {}

    private static <Q, R extends Message> MethodDescriptor<Q, R> aliasing(MethodDescriptor<Q, R> method) {
        return method.toBuilder(method.getRequestMarshaller(), new AliasingMarshaller<>(method.getResponseMarshaller())).build();
    }

    /** Reads a message into one array of its own and parses it with aliasing; streams as the generated marshaller does. */
    private static final class AliasingMarshaller<R extends Message> implements MethodDescriptor.PrototypeMarshaller<R> {
        private final MethodDescriptor.PrototypeMarshaller<R> generated;
        private final Parser<R> parser;

        @SuppressWarnings("unchecked") // the prototype of an R marshaller parses Rs
        AliasingMarshaller(MethodDescriptor.Marshaller<R> generated) {
            this.generated = (MethodDescriptor.PrototypeMarshaller<R>) generated;
            this.parser = (Parser<R>) this.generated.getMessagePrototype().getParserForType();
        }

        @Override
        public InputStream stream(R value) {
            return generated.stream(value);
        }

        /** Failures as gRPC's marshaller reports them: INTERNAL, which the proxy turns into a CommunicationError. */
        @Override
        public R parse(InputStream stream) {
            try {
                return Aliasing.parse(parser, ReceivedMessages.readWhole(stream));
            } catch (InvalidProtocolBufferException malformed) {
                throw Status.INTERNAL.withDescription("invalid protobuf byte sequence in a response: " + malformed.getMessage())
                        .withCause(malformed).asRuntimeException();
            } catch (IOException unreadable) {
                throw Status.INTERNAL.withDescription("cannot read a response: " + unreadable.getMessage()).withCause(unreadable).asRuntimeException();
            }
        }

        @Override
        public R getMessagePrototype() {
            return generated.getMessagePrototype();
        }

        @Override
        public Class<R> getMessageClass() {
            return generated.getMessageClass();
        }
    }
}
