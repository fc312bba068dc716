package io.pyromesh.mesh.routing;

import io.grpc.Status;
import io.pyromesh.errors.PyroError;
import io.pyromesh.mesh.HopException;
import io.pyromesh.uri.PyroURI;

/**
 * The {@code object} of a call that a hop routes by URI (the gateway's calls, a sidecar's outbound
 * ones): a full Pyro URI, checked before anything is looked up, and refused with INVALID_ARGUMENT saying
 * what is wrong with it.
 */
public final class RoutedUri {
    /** The longest URI accepted (a name is at most 1024 characters; room for a location). */
    public static final int MAX_LENGTH = 2048;

    private RoutedUri() {}

    /**
     * The URI a caller gave.
     *
     * @param who what routes it, for the message, e.g. {@code "the gateway"}
     * @throws HopException INVALID_ARGUMENT for an empty, over-long or malformed URI
     */
    public static PyroURI parse(String object, String who) {
        String expected = who + " calls objects by URI (PYRONAME:name, PYROMETA:tag,..., PYRO:id@host:port)";
        if (object.isEmpty()) {
            throw invalid(expected + ", and got none");
        }
        if (object.length() > MAX_LENGTH) {
            throw invalid("uri too long: " + object.length() + " characters, at most " + MAX_LENGTH);
        }
        try {
            return PyroURI.parse(object);
        } catch (PyroError malformed) {
            String shown = object.length() <= 64 ? object : object.substring(0, 64) + "...";
            throw invalid(malformed.getMessage() + " '" + shown + "': " + expected);
        }
    }

    private static HopException invalid(String message) {
        return new HopException(Status.Code.INVALID_ARGUMENT, new PyroError(message));
    }
}
