package io.pyromesh.errors;

/** The two sides disagree on the protocol, e.g. a streamed method called without streaming. */
public class ProtocolError extends CommunicationError {
    private static final long serialVersionUID = 1L;

    public ProtocolError(String message) {
        super(message);
    }

    public ProtocolError(String message, Throwable cause) {
        super(message, cause);
    }
}
