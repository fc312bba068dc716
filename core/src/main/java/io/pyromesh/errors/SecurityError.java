package io.pyromesh.errors;

/** Access to a member that is not exposed, unknown, or private. */
public class SecurityError extends PyroError {
    private static final long serialVersionUID = 1L;

    public SecurityError(String message) {
        super(message);
    }

    public SecurityError(String message, Throwable cause) {
        super(message, cause);
    }
}
