package io.pyromesh.errors;

/** A failure to reach or talk to the remote side. */
public class CommunicationError extends PyroError {
    private static final long serialVersionUID = 1L;

    public CommunicationError(String message) {
        super(message);
    }

    public CommunicationError(String message, Throwable cause) {
        super(message, cause);
    }
}
