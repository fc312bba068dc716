package io.pyromesh.errors;

import io.pyromesh.proto.v1.RemoteError;

/**
 * An exception raised by the remote object's own code, rethrown at the proxy. It carries the remote
 * exception's type name, message and stack trace; its cause is the remote cause, if there was one.
 *
 * <p>Java cannot safely re-create arbitrary exception classes named by a peer, so a remote exception
 * arrives as this type (with {@link #getRemoteType()} telling the original class), except where a
 * typed proxy's method declares the exception in its {@code throws} clause: then the declared type is
 * thrown, with this exception as its cause.
 */
public class RemoteException extends PyroError {
    private static final long serialVersionUID = 1L;

    private final String remoteType;
    private final String remoteStackTrace;

    public RemoteException(String remoteType, String message, String remoteStackTrace, RemoteException cause) {
        super(message, cause);
        this.remoteType = remoteType;
        this.remoteStackTrace = remoteStackTrace == null ? "" : remoteStackTrace;
    }

    /** Rebuilds the exception (and its causes) from the wire form. */
    public static RemoteException fromProto(RemoteError error) {
        RemoteException cause = error.hasCause() ? fromProto(error.getCause()) : null;
        return new RemoteException(error.getType(), error.getMessage(), error.getTraceback(), cause);
    }

    /**
     * The exception a caller sees for a remote error. Pyro's own errors (Pyromesh's
     * {@code io.pyromesh.errors} or Pyro5's {@code Pyro5.errors}, e.g. a NamingError raised by a name
     * server) are re-created as their type, with the remote exception as their cause; anything else
     * arrives as a RemoteException.
     */
    public static PyroError raised(RemoteError error) {
        RemoteException remote = fromProto(error);
        String type = error.getType();
        int dot = type.lastIndexOf('.');
        String module = dot < 0 ? "" : type.substring(0, dot);
        if (module.equals(PyroError.class.getPackageName()) || module.equals("Pyro5.errors")) {
            PyroError recreated = PyroError.ofType(type.substring(dot + 1), error.getMessage(), remote);
            if (recreated != null) {
                return recreated;
            }
        }
        return remote;
    }

    /** The exception's class as the remote side names it, e.g. {@code java.lang.IllegalStateException}. */
    public String getRemoteType() {
        return remoteType;
    }

    /** The remote stack trace exactly as the remote side formatted it. */
    public String getRemoteStackTrace() {
        return remoteStackTrace;
    }

    /**
     * The remote traceback in Pyro's text format ({@code get_pyro_traceback}):
     *
     * <pre>
     * java.lang.IllegalStateException: boom
     *  +--- This exception occurred remotely (Pyro) - Remote traceback:
     *  | java.lang.IllegalStateException: boom
     *  | 	at example.Shop.buy(Shop.java:12)
     *  +--- End of remote traceback
     * </pre>
     */
    public String getRemoteTraceback() {
        StringBuilder text = new StringBuilder(toString()).append('\n');
        text.append(" +--- This exception occurred remotely (Pyro) - Remote traceback:\n");
        remoteStackTrace.lines().forEach(line -> text.append(" | ").append(line).append('\n'));
        return text.append(" +--- End of remote traceback\n").toString();
    }

    @Override
    public String toString() {
        String message = getMessage();
        return message == null || message.isEmpty() ? remoteType : remoteType + ": " + message;
    }
}
