package io.pyromesh.internal;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.ConnectionClosedError;
import io.pyromesh.errors.DaemonError;
import io.pyromesh.errors.MessageTooLargeError;
import io.pyromesh.errors.NamingError;
import io.pyromesh.errors.ProtocolError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.SecurityError;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.errors.TimeoutError;
import io.pyromesh.errors.TypeError;
import io.pyromesh.proto.v1.ErrorDetail;

/**
 * Translates between Pyro errors and gRPC statuses. A failed call carries a status code chosen from
 * the error's type and an {@code ErrorDetail} in the {@code pyro-error-bin} trailer, so that the
 * receiving side (in any language) knows which Pyro error it was.
 */
public final class GrpcErrors {
    /** The trailer that names the Pyro error of a failed call. */
    public static final Metadata.Key<ErrorDetail> ERROR_DETAIL =
            Metadata.Key.of("pyro-error-bin", ProtoUtils.metadataMarshaller(ErrorDetail.getDefaultInstance()));

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
        return toStatus(error, code, "");
    }

    /**
     * The status of an error raised by a mesh hop itself (not by the object's daemon): its
     * {@code ErrorDetail} names the hop, e.g. {@code "gateway 127.0.0.1:9300"}, and so does the description.
     */
    public static StatusRuntimeException toStatus(PyroError error, Status.Code code, String hop) {
        Metadata trailers = new Metadata();
        String message = String.valueOf(error.getMessage());
        trailers.put(ERROR_DETAIL, ErrorDetail.newBuilder()
                .setType(error.pyroName())
                .setMessage(message)
                .setHop(hop)
                .build());
        return code.toStatus().withDescription(withHop(message, hop)).asRuntimeException(trailers);
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
        PyroError named = detail == null ? null
                : PyroError.ofType(detail.getType(), withHop(detail.getMessage(), detail.getHop()), failure);
        if (named != null) {
            return named;
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

    /** A hop's errors say which hop raised them, so a mesh failure is not mistaken for the application's. */
    private static String withHop(String message, String hop) {
        return hop.isEmpty() ? message : message + " (" + hop + ")";
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
