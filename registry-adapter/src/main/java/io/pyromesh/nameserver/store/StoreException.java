package io.pyromesh.nameserver.store;

/** The storage behind a {@link Store} failed (a database error, I/O); the name server reports it as a NamingError. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
