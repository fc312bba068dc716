package io.pyromesh.errors;

/** Arguments that fit no signature of the called method (Python's TypeError). */
public class TypeError extends PyroError {
    private static final long serialVersionUID = 1L;

    public TypeError(String message) {
        super(message);
    }

    public TypeError(String message, Throwable cause) {
        super(message, cause);
    }
}
