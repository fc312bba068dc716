package io.pyromesh.server;

import io.pyromesh.errors.PyroError;
import io.pyromesh.proto.v1.RemoteError;

/** Turns an exception thrown by an object's code into the {@code RemoteError} its caller receives. */
final class RemoteErrors {
    /** Causes nested deeper than this are cut off: a reply must stay small and finite. */
    private static final int MAX_CAUSES = 8;

    private RemoteErrors() {}

    static RemoteError of(Throwable thrown) {
        return of(thrown, 0);
    }

    private static RemoteError of(Throwable thrown, int depth) {
        RemoteError.Builder error = RemoteError.newBuilder()
                .setType(typeName(thrown))
                .setMessage(thrown.getMessage() == null ? "" : thrown.getMessage())
                .setTraceback(traceback(thrown));
        Throwable cause = thrown.getCause();
        if (cause != null && cause != thrown && depth < MAX_CAUSES) {
            error.setCause(of(cause, depth + 1));
        }
        return error.build();
    }

    /** A Pyro error travels under its Pyro name (a private subclass as the public error it is). */
    private static String typeName(Throwable thrown) {
        return thrown instanceof PyroError pyro ? PyroError.class.getPackageName() + "." + pyro.pyroName() : thrown.getClass().getName();
    }

    /**
     * The exception's own frames, formatted as Java prints them (its causes travel separately), down to
     * the remote method: the daemon's and gRPC's frames below it would only show clients our insides.
     */
    private static String traceback(Throwable thrown) {
        StringBuilder text = new StringBuilder(thrown.toString()).append('\n');
        for (StackTraceElement frame : thrown.getStackTrace()) {
            if (frame.getClassName().equals(RemoteMethod.class.getName())) {
                break;
            }
            text.append("\tat ").append(frame).append('\n');
        }
        return text.toString();
    }
}
