package io.pyromesh.internal;

import io.grpc.KnownLength;
import java.io.IOException;
import java.io.InputStream;

/** A message as gRPC hands it to a marshaller, read whole. */
public final class ReceivedMessages {
    private ReceivedMessages() {}

    /**
     * The message's bytes in one array of its size when the stream says how long it is (gRPC's transports
     * always do; {@code readAllBytes} would fill 16 KiB chunks first and copy them together), else read to
     * its end. Callers bound the size first: gRPC has already refused a message over the transport's limit.
     */
    public static byte[] readWhole(InputStream message) throws IOException {
        if (!(message instanceof KnownLength)) {
            return message.readAllBytes();
        }
        byte[] bytes = new byte[message.available()];
        int read = message.readNBytes(bytes, 0, bytes.length);
        if (read != bytes.length || message.read() != -1) {
            throw new IOException("the message's length was not the " + bytes.length + " gRPC announced");
        }
        return bytes;
    }
}
