package io.pyromesh.errors;

/** A message exceeded MAX_MESSAGE_SIZE (RESOURCE_EXHAUSTED). */
public class MessageTooLargeError extends ProtocolError {
    private static final long serialVersionUID = 1L;

    public MessageTooLargeError(String message) {
        super(message);
    }

    public MessageTooLargeError(String message, Throwable cause) {
        super(message, cause);
    }
}
