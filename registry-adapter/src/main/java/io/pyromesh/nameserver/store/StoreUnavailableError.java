package io.pyromesh.nameserver.store;

import io.pyromesh.errors.CommunicationError;

/**
 * A remote backend (Consul) cannot be reached or does not answer in time. A CommunicationError, so it
 * travels as {@code UNAVAILABLE}; its message names the backend and its address.
 */
public final class StoreUnavailableError extends CommunicationError {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableError(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String pyroName() {
        return "CommunicationError";
    }
}
