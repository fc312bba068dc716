package io.pyromesh.errors;

/** A daemon refused an operation, e.g. an unknown object id or a duplicate registration. */
public class DaemonError extends PyroError {
    private static final long serialVersionUID = 1L;

    public DaemonError(String message) {
        super(message);
    }

    public DaemonError(String message, Throwable cause) {
        super(message, cause);
    }
}
