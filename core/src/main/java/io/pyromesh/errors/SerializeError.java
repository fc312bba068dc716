package io.pyromesh.errors;

/** A value could not be encoded or decoded, e.g. an unregistered class. */
public class SerializeError extends ProtocolError {
    private static final long serialVersionUID = 1L;

    public SerializeError(String message) {
        super(message);
    }

    public SerializeError(String message, Throwable cause) {
        super(message, cause);
    }
}
