package io.pyromesh.internal;

import io.grpc.Metadata;
import io.grpc.protobuf.ProtoUtils;
import io.pyromesh.proto.v1.Annotations;

/** The gRPC metadata keys of the Pyromesh contract (documented in {@code invoker.proto}). */
public final class Headers {
    /** Ties a chain of calls together; request header and response trailer. */
    public static final Metadata.Key<String> CORRELATION_ID =
            Metadata.Key.of("pyro-correlation-id", Metadata.ASCII_STRING_MARSHALLER);

    /** User annotations travelling beside a call (request header, response trailer). */
    public static final Metadata.Key<Annotations> ANNOTATIONS =
            Metadata.Key.of("pyro-annotations-bin", ProtoUtils.metadataMarshaller(Annotations.getDefaultInstance()));

    /** The caller's session, for objects in SESSION instance mode. */
    public static final Metadata.Key<String> SESSION =
            Metadata.Key.of("pyro-session", Metadata.ASCII_STRING_MARSHALLER);

    private Headers() {}
}
