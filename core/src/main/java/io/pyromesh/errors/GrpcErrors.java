package io.pyromesh.errors;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.pyromesh.proto.v1.ErrorDetail;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Translates between Pyro errors and gRPC statuses. A failed call carries a status code chosen from
 * the error's type and an {@code ErrorDetail} in the {@code pyro-error-bin} trailer, so that the
 * receiving side (in any language) knows which Pyro error it was.
 */
public final class GrpcErrors {
    /** The trailer that names the Pyro error of a failed call. */
    public static final Metadata.Key<ErrorDetail> ERROR_DETAIL =
            Metadata.Key.of("pyro-error-bin", ProtoUtils.metadataMarshaller(ErrorDetail.getDefaultInstance()));

    private static final Map<String, BiFunction<String, Throwable, PyroError>> BY_NAME = Map.ofEntries(
            Map.entry("PyroError", PyroError::new),
            Map.entry("CommunicationError", CommunicationError::new),
            Map.entry("ConnectionClosedError", ConnectionClosedError::new),
            Map.entry("TimeoutError", TimeoutError::new),
            Map.entry("ProtocolError", ProtocolError::new),
            Map.entry("MessageTooLargeError", MessageTooLargeError::new),
            Map.entry("SerializeError", SerializeError::new),
            Map.entry("NamingError", NamingError::new),
            Map.entry("DaemonError", DaemonError::new),
            Map.entry("SecurityError", SecurityError::new),
            Map.entry("TypeError", TypeError::new));

    private GrpcErrors() {}

    /** The status code an error travels with, unless the thrower picks another. */
    public static Status.Code codeFor(PyroError error) {
        if (error instanceof NamingError || error instanceof DaemonError) {
            return Status.Code.NOT_FOUND;
        }
        if (error instanceof SecurityError) {
            return Status.Code.PERMISSION_DENIED;
        }
        if (error instanceof TypeError || error instanceof SerializeError) {
            return Status.Code.INVALID_ARGUMENT;
        }
        if (error instanceof MessageTooLargeError) {
            return Status.Code.RESOURCE_EXHAUSTED;
        }
        if (error instanceof ProtocolError) {
            return Status.Code.FAILED_PRECONDITION;
        }
        if (error instanceof TimeoutError) {
            return Status.Code.DEADLINE_EXCEEDED;
        }
        if (error instanceof CommunicationError) {
            return Status.Code.UNAVAILABLE;
        }
        return Status.Code.UNKNOWN;
    }

    /** The status exception that carries {@code error} to the caller. */
    public static StatusRuntimeException toStatus(PyroError error) {
        return toStatus(error, codeFor(error));
    }

    /** As {@link #toStatus(PyroError)}, with a status code of the caller's choice. */
    public static StatusRuntimeException toStatus(PyroError error, Status.Code code) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_DETAIL, ErrorDetail.newBuilder()
                .setType(error.pyroName())
                .setMessage(String.valueOf(error.getMessage()))
                .build());
        return code.toStatus().withDescription(error.getMessage()).asRuntimeException(trailers);
    }

    /**
     * The Pyro error a failed call stands for. The {@code pyro-error-bin} trailer decides when present;
     * otherwise (a status made by gRPC itself, or by a peer that is not Pyromesh) the status code does.
     *
     * @param target what was called, for messages such as "cannot connect to host:port"
     */
    public static PyroError fromStatus(StatusRuntimeException failure, String target) {
        Status status = failure.getStatus();
        Metadata trailers = failure.getTrailers();
        String description = status.getDescription() == null ? "" : status.getDescription();
        ErrorDetail detail = trailers == null ? null : detailOf(trailers);
        if (detail != null && BY_NAME.containsKey(detail.getType())) {
            return BY_NAME.get(detail.getType()).apply(detail.getMessage(), failure);
        }
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> new TimeoutError("call to " + target + " timed out: " + description, failure);
            case UNAVAILABLE -> new CommunicationError("cannot connect to " + target + ": " + describe(status), failure);
            case CANCELLED -> new ConnectionClosedError("call to " + target + " cancelled: " + description, failure);
            case RESOURCE_EXHAUSTED -> description.contains("message") && description.contains("size")
                    ? new MessageTooLargeError("message too large: " + description, failure)
                    : new CommunicationError(target + " is out of resources: " + description, failure);
            case INVALID_ARGUMENT -> new SerializeError(description, failure);
            case PERMISSION_DENIED, UNAUTHENTICATED -> new SecurityError(description, failure);
            case UNIMPLEMENTED -> new ProtocolError(target + " does not implement this call: " + description, failure);
            default -> new PyroError(status.getCode() + " from " + target + ": " + description, failure);
        };
    }

    /** A Pyro error of the named type ({@code "NamingError"} ...), or null if there is no such type. */
    static PyroError byName(String pyroName, String message, Throwable cause) {
        BiFunction<String, Throwable, PyroError> make = BY_NAME.get(pyroName);
        return make == null ? null : make.apply(message, cause);
    }

    private static ErrorDetail detailOf(Metadata trailers) {
        try {
            return trailers.get(ERROR_DETAIL);
        } catch (RuntimeException malformed) {
            // a peer sent a trailer we cannot parse: the status code still tells the story
            return null;
        }
    }

    /** The most telling text of a transport failure: gRPC's own description is often just "io exception". */
    private static String describe(Status status) {
        Throwable cause = status.getCause();
        if (cause != null && cause.getMessage() != null) {
            return cause.getMessage();
        }
        return status.getDescription() != null ? status.getDescription() : status.getCode().toString();
    }
}
