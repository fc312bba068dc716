package io.pyromesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.KnownLength;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.Value;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InvokerMethodsTest {
    private static final InvokeResponse RESPONSE = InvokeResponse.newBuilder()
            .setResult(Value.newBuilder().setBytesValue(ByteString.copyFrom(new byte[64 * 1024]))).build();

    @Test
    void aResponseAsTheTransportHandsItOver() {
        assertThat(InvokerMethods.INVOKE.parseResponse(received(RESPONSE.toByteArray()))).isEqualTo(RESPONSE);
    }

    @Test
    void aStreamOfUnknownLengthStillParses() {
        assertThat(InvokerMethods.INVOKE.parseResponse(new ByteArrayInputStream(RESPONSE.toByteArray()))).isEqualTo(RESPONSE);
    }

    @Test
    void aMalformedResponseIsAnInternalError() {
        byte[] truncated = Arrays.copyOf(RESPONSE.toByteArray(), 100);

        assertThatThrownBy(() -> InvokerMethods.INVOKE.parseResponse(received(truncated)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, failure -> {
                    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(failure.getStatus().getDescription()).startsWith("invalid protobuf byte sequence in a response");
                });
    }

    @Test
    void aResponseShorterThanAnnouncedIsAnInternalError() {
        InputStream shortOfItsLength = new Received(new byte[10]) {
            @Override
            public synchronized int available() {
                return 20;
            }
        };

        assertThatThrownBy(() -> InvokerMethods.INVOKE.parseResponse(shortOfItsLength))
                .isInstanceOfSatisfying(StatusRuntimeException.class, failure -> assertThat(failure.getStatus().getDescription())
                        .isEqualTo("cannot read a response: the message's length was not the 20 gRPC announced"));
    }

    private static InputStream received(byte[] message) {
        return new Received(message);
    }

    /** As gRPC's transports hand a message over: a stream that knows its length. */
    private static class Received extends ByteArrayInputStream implements KnownLength {
        Received(byte[] message) {
            super(message);
        }
    }
}
