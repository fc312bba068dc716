package io.pyromesh.gateway.http;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.proto.v1.ErrorDetail;
import io.pyromesh.proto.v1.RemoteError;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request that ends in an error: its HTTP status and the JSON body that says what happened,
 * {@code {"error": {"type": ..., "message": ..., ...}}}. Bodies name Pyro's error types and carry the
 * remote side's messages and tracebacks, never anything of the gateway's own code.
 */
record HttpFailure(int status, Map<String, Object> error) {
    static HttpFailure of(int status, String type, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type);
        error.put("message", message);
        return new HttpFailure(status, error);
    }

    /** An exception raised by the remote object's code: 500, with its type, message and remote traceback. */
    static HttpFailure raised(RemoteError remote) {
        HttpFailure failure = of(500, remote.getType(), remote.getMessage());
        failure.error.put("traceback", remote.getTraceback());
        return failure;
    }

    /** A failed call: its gRPC status as the nearest HTTP status, with the Pyro error it names. */
    static HttpFailure fromStatus(StatusRuntimeException failed) {
        Status status = failed.getStatus();
        ErrorDetail detail = detailOf(failed.getTrailers());
        String type = detail != null ? detail.getType() : GrpcErrors.fromStatus(failed, "the gateway").pyroName();
        String message = detail != null ? detail.getMessage() : String.valueOf(status.getDescription());
        HttpFailure failure = of(httpStatus(status.getCode(), type), type, message);
        failure.error.put("status", status.getCode().name());
        return failure;
    }

    private static int httpStatus(Status.Code code, String pyroError) {
        return switch (code) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case PERMISSION_DENIED, UNAUTHENTICATED -> 403;
            case NOT_FOUND -> 404;
            case RESOURCE_EXHAUSTED -> pyroError.equals("MessageTooLargeError") ? 413 : 503;
            case DEADLINE_EXCEEDED -> 504;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE, CANCELLED, ABORTED -> 503;
            default -> 502;
        };
    }

    private static ErrorDetail detailOf(Metadata trailers) {
        try {
            return trailers == null ? null : trailers.get(GrpcErrors.ERROR_DETAIL);
        } catch (RuntimeException malformed) {
            return null;
        }
    }
}
