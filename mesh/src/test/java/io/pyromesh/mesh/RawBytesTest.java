package io.pyromesh.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawBytesTest {
    private static final byte[] MESSAGE = "a message".getBytes(StandardCharsets.UTF_8);

    @Test
    void aMessageOfKnownLengthIsReadWhole() {
        assertThat(RawBytes.MARSHALLER.parse(RawBytes.MARSHALLER.stream(MESSAGE))).isEqualTo(MESSAGE);
        assertThat(RawBytes.MARSHALLER.parse(RawBytes.MARSHALLER.stream(new byte[0]))).isEmpty();
    }

    @Test
    void aStreamOfUnknownLengthIsReadToItsEnd() {
        assertThat(RawBytes.MARSHALLER.parse(new ByteArrayInputStream(MESSAGE))).isEqualTo(MESSAGE);
    }

    @Test
    void aStreamLongerThanItsAnnouncedLengthIsRefused() {
        assertThatThrownBy(() -> RawBytes.MARSHALLER.parse(new Announcing(MESSAGE, 3)))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("not the 3 gRPC announced");
    }

    /** A stream whose {@code available()} says less than it holds. */
    private static final class Announcing extends ByteArrayInputStream implements KnownLength {
        private final int announced;

        Announcing(byte[] bytes, int announced) {
            super(bytes);
            this.announced = announced;
        }

        @Override
        public synchronized int available() {
            return Math.min(announced, count - pos);
        }
    }
}
