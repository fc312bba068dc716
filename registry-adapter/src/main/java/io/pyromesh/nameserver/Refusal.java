package io.pyromesh.nameserver;

import io.pyromesh.errors.NamingError;

/**
 * A NamingError of a kind the gRPC face answers with a status of its own (see {@code naming.proto});
 * every other NamingError is bad input (INVALID_ARGUMENT). Pyro's side sees a plain NamingError.
 */
final class Refusal extends NamingError {
    private static final long serialVersionUID = 1L;

    enum Kind {
        /** NOT_FOUND. */
        UNKNOWN_NAME,
        /** ALREADY_EXISTS: a {@code safe} register of a taken name. */
        NAME_TAKEN,
        /** PERMISSION_DENIED: registering {@code Pyro.NameServer}, which would redirect every client. */
        RESERVED_NAME,
        /** RESOURCE_EXHAUSTED: too many regex searches or watches at once, a watcher too slow. */
        TOO_BUSY,
        /** UNAVAILABLE: the store failed (e.g. its remote backend is unreachable), or shutting down. */
        UNAVAILABLE
    }

    private final Kind kind;

    Refusal(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    Refusal(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    Kind kind() {
        return kind;
    }

    @Override
    public String pyroName() {
        return "NamingError";
    }
}
