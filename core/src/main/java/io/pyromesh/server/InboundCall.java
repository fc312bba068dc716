package io.pyromesh.server;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Metadata;
import io.pyromesh.internal.Headers;
import io.pyromesh.proto.v1.Annotations;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** What the gRPC layer knows about one inbound call: its headers, and the trailers to send back. */
final class InboundCall {
    static final Context.Key<InboundCall> KEY = Context.key("pyromesh-inbound-call");

    final UUID correlationId;
    final Map<String, byte[]> annotations;
    final SocketAddress clientAddress;
    /** The session id the caller sent, or its address: callers without sessions get one per connection. */
    final String session;
    private volatile Map<String, byte[]> responseAnnotations = Map.of();

    private InboundCall(UUID correlationId, Map<String, byte[]> annotations, SocketAddress clientAddress, String session) {
        this.correlationId = correlationId;
        this.annotations = annotations;
        this.clientAddress = clientAddress;
        this.session = session;
    }

    /** Reads the call's headers; IllegalArgumentException names a malformed one. */
    static InboundCall from(Metadata headers, SocketAddress clientAddress) {
        String correlation = headers.get(Headers.CORRELATION_ID);
        UUID correlationId;
        try {
            correlationId = correlation == null ? freshCorrelationId() : UUID.fromString(correlation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed pyro-correlation-id header (not a UUID): " + correlation);
        }
        Map<String, byte[]> annotations = new LinkedHashMap<>();
        Annotations sent;
        try {
            sent = headers.get(Headers.ANNOTATIONS);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed pyro-annotations-bin header: not an Annotations message");
        }
        if (sent != null) {
            sent.getEntriesMap().forEach((key, value) -> annotations.put(key, value.toByteArray()));
        }
        String session = headers.get(Headers.SESSION);
        if (session == null) {
            session = "connection:" + clientAddress;
        }
        return new InboundCall(correlationId, annotations, clientAddress, session);
    }

    /**
     * A random (version 4) UUID from a thread-local generator: correlation ids tie calls together and are
     * not secrets, and the secure generator behind {@link UUID#randomUUID()} is a lock every call would
     * queue on.
     */
    static UUID freshCorrelationId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low);
    }

    void setResponseAnnotations(Map<String, byte[]> annotations) {
        this.responseAnnotations = Map.copyOf(annotations);
    }

    void writeTrailers(Metadata trailers) {
        trailers.put(Headers.CORRELATION_ID, correlationId.toString());
        Map<String, byte[]> response = responseAnnotations;
        if (!response.isEmpty()) {
            Annotations.Builder annotations = Annotations.newBuilder();
            response.forEach((key, value) -> annotations.putEntries(key, ByteString.copyFrom(value)));
            trailers.put(Headers.ANNOTATIONS, annotations.build());
        }
    }
}
