package io.pyromesh.errors;

/** A name could not be resolved, or a name-server operation was refused. */
public class NamingError extends PyroError {
    private static final long serialVersionUID = 1L;

    public NamingError(String message) {
        super(message);
    }

    public NamingError(String message, Throwable cause) {
        super(message, cause);
    }
}
