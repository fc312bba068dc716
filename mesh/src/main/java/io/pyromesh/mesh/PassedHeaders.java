package io.pyromesh.mesh;

import io.grpc.Metadata;
import java.util.List;

/**
 * Which metadata a hop passes on: everything, except what gRPC's transport owns and makes afresh on
 * every connection (content type, user agent, encodings, the timeout, which travels as the deadline,
 * and the status, which travels as the status).
 */
final class PassedHeaders {
    private static final List<Metadata.Key<String>> TRANSPORT_OWNED = keys(
            "content-type", "user-agent", "te", "grpc-timeout", "grpc-encoding", "grpc-accept-encoding",
            "grpc-message-type", "grpc-previous-rpc-attempts", "grpc-retry-pushback-ms", "grpc-status", "grpc-message");

    private PassedHeaders() {}

    /** A copy of {@code received} without the transport's own entries. */
    static Metadata of(Metadata received) {
        Metadata passed = new Metadata();
        passed.merge(received);
        for (Metadata.Key<String> key : TRANSPORT_OWNED) {
            if (passed.containsKey(key)) {
                passed.discardAll(key);
            }
        }
        return passed;
    }

    private static List<Metadata.Key<String>> keys(String... names) {
        return java.util.Arrays.stream(names).map(name -> Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER)).toList();
    }
}
