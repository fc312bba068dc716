package io.pyromesh.errors;

/** The connection closed or could not be established. */
public class ConnectionClosedError extends CommunicationError {
    private static final long serialVersionUID = 1L;

    public ConnectionClosedError(String message) {
        super(message);
    }

    public ConnectionClosedError(String message, Throwable cause) {
        super(message, cause);
    }
}
