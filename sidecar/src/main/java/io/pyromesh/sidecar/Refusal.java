package io.pyromesh.sidecar;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pyromesh.errors.PyroError;
import io.pyromesh.internal.GrpcErrors;

/** The sidecar refuses something an app asked for: a status code, and the Pyro error that explains it. */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final Status.Code code;
    private final PyroError error;

    Refusal(Status.Code code, PyroError error) {
        super(error.getMessage(), error.getCause());
        this.code = code;
        this.error = error;
    }

    /** The status that ends the app's stream, with the error, naming {@code hop}, in its {@code pyro-error-bin} trailer. */
    StatusRuntimeException toStatus(String hop) {
        return GrpcErrors.toStatus(error, code, hop);
    }
}
