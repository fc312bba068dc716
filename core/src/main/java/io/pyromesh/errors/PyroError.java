package io.pyromesh.errors;

/**
 * The root of Pyromesh's errors, named after Pyro's {@code PyroError} hierarchy so that the same name
 * appears in Java, on the wire ({@code ErrorDetail.type}) and in CLI messages:
 *
 * <pre>
 * PyroError
 *  ├─ CommunicationError
 *  │   ├─ ConnectionClosedError
 *  │   ├─ TimeoutError
 *  │   └─ ProtocolError
 *  │       ├─ MessageTooLargeError
 *  │       └─ SerializeError
 *  ├─ NamingError
 *  ├─ DaemonError
 *  ├─ SecurityError
 *  ├─ TypeError
 *  └─ RemoteException   (an exception raised by the remote object's own code)
 * </pre>
 *
 * All are unchecked: a proxy looks like a local object, and its callers decide where remote failure
 * is worth handling.
 */
public class PyroError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PyroError(String message) {
        super(message);
    }

    public PyroError(String message, Throwable cause) {
        super(message, cause);
    }

    /** The Pyro name of this error, e.g. {@code "NamingError"}: the simple name of its class. */
    public String pyroName() {
        return getClass().getSimpleName();
    }
}
