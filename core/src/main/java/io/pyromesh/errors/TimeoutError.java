package io.pyromesh.errors;

/** A call did not complete within its timeout (DEADLINE_EXCEEDED). */
public class TimeoutError extends CommunicationError {
    private static final long serialVersionUID = 1L;

    public TimeoutError(String message) {
        super(message);
    }

    public TimeoutError(String message, Throwable cause) {
        super(message, cause);
    }
}
