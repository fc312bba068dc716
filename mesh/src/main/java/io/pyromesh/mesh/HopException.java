package io.pyromesh.mesh;

import io.grpc.Status;
import io.pyromesh.errors.PyroError;
import java.util.Objects;

/**
 * A {@link Route}'s refusal of a call with a status of its choice, e.g. INVALID_ARGUMENT for an object
 * that is not a URI. The caller gets {@code code} and an {@code ErrorDetail} of {@code error}'s type
 * naming the hop.
 */
public final class HopException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Status.Code code;
    private final PyroError error;

    public HopException(Status.Code code, PyroError error) {
        super(error.getMessage(), error);
        this.code = Objects.requireNonNull(code, "code");
        this.error = error;
    }

    public Status.Code code() {
        return code;
    }

    public PyroError error() {
        return error;
    }
}
