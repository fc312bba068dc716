package io.pyromesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.Value;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AliasingTest {
    private static final byte[] PAYLOAD = {10, 20, 30, 40, 50};

    @Test
    void bytesFieldsAreViewsOfTheReceivedArray() throws InvalidProtocolBufferException {
        byte[] wire = InvokeResponse.newBuilder().setResult(Value.newBuilder().setBytesValue(ByteString.copyFrom(PAYLOAD))).build().toByteArray();

        InvokeResponse parsed = Aliasing.parse(InvokeResponse.parser(), wire);

        assertThat(parsed.getResult().getBytesValue().toByteArray()).containsExactly(PAYLOAD);
        // not copied: a change to the array shows through (which is why the array must be the message's own)
        wire[indexOf(wire, PAYLOAD)] = 99;
        assertThat(parsed.getResult().getBytesValue().byteAt(0)).isEqualTo((byte) 99);
    }

    @Test
    void parsesAsTheGeneratedParserDoes() throws InvalidProtocolBufferException {
        InvokeResponse response = InvokeResponse.newBuilder().setResult(Value.newBuilder().setStrValue("hello")).build();

        assertThat(Aliasing.parse(InvokeResponse.parser(), response.toByteArray())).isEqualTo(response);
    }

    @Test
    void malformedInputIsRefused() {
        byte[] truncated = Arrays.copyOf(InvokeResponse.newBuilder().setResult(Value.newBuilder().setStrValue("hello")).build().toByteArray(), 4);

        assertThatThrownBy(() -> Aliasing.parse(InvokeResponse.parser(), truncated)).isInstanceOf(InvalidProtocolBufferException.class);
    }

    private static int indexOf(byte[] wire, byte[] part) {
        for (int i = 0; i + part.length <= wire.length; i++) {
            if (Arrays.equals(wire, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("the payload is not in the message");
    }
}
