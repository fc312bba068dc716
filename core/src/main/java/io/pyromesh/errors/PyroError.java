package io.pyromesh.errors;

import java.util.Map;
import java.util.function.BiFunction;

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
    private static final int EXCERPT_LENGTH = 64;
    private static final Map<String, BiFunction<String, Throwable, PyroError>> BY_NAME = Map.ofEntries(
            Map.entry("PyroError", PyroError::new),
            Map.entry("CommunicationError", CommunicationError::new),
            Map.entry("ConnectionClosedError", ConnectionClosedError::new),
            Map.entry("TimeoutError", TimeoutError::new),
            Map.entry("ProtocolError", ProtocolError::new),
            Map.entry("MessageTooLargeError", MessageTooLargeError::new),
            Map.entry("SerializeError", SerializeError::new),
            Map.entry("NamingError", NamingError::new),
            Map.entry("DaemonError", DaemonError::new),
            Map.entry("SecurityError", SecurityError::new),
            Map.entry("TypeError", TypeError::new));

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

    /**
     * A new Pyro error of the type Pyro names {@code pyroName} ({@code "NamingError"} ...), or null if
     * there is no such type: how an error named on the wire is re-created.
     */
    public static PyroError ofType(String pyroName, String message, Throwable cause) {
        BiFunction<String, Throwable, PyroError> make = BY_NAME.get(pyroName);
        return make == null ? null : make.apply(message, cause);
    }

    /**
     * The start of {@code text} that came from a caller, for an error message: error messages echo what
     * they refuse, and an 8,000-character name must end up neither in a log line nor in a gRPC status,
     * whose trailers a client accepts only up to a size.
     */
    public static String excerpt(String text) {
        return text.length() <= EXCERPT_LENGTH ? text : text.substring(0, EXCERPT_LENGTH) + "...";
    }
}
