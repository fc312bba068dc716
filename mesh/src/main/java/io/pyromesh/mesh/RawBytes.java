package io.pyromesh.mesh;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.pyromesh.internal.ReceivedMessages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Messages as the bytes they arrived in: what a hop reads and sends instead of decoded protobufs. */
final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    static final RawBytes MARSHALLER = new RawBytes();

    private RawBytes() {}

    @Override
    public InputStream stream(byte[] message) {
        return new Message(message);
    }

    /** One array of the message's size (readAllBytes would fill 16 KiB chunks first, the bulk of what a hop allocated per call). */
    @Override
    public byte[] parse(InputStream stream) {
        try {
            return ReceivedMessages.readWhole(stream);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Known length and drainable, so gRPC frames it without copying it into a buffer of its own first. */
    private static final class Message extends ByteArrayInputStream implements KnownLength, Drainable {
        Message(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int length = count - pos;
            target.write(buf, pos, length);
            pos = count;
            return length;
        }
    }
}
