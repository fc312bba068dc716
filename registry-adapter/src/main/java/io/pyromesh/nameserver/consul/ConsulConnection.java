package io.pyromesh.nameserver.consul;

import io.pyromesh.nameserver.store.StoreException;
import io.pyromesh.nameserver.store.StoreUnavailableError;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.ConsulException;

/**
 * The HTTP clients for one Consul agent, and the translation of their failures: a Consul that cannot be
 * reached, does not answer in time or has no leader is a {@link StoreUnavailableError} naming it; a
 * request Consul refuses is a {@link StoreException} with Consul's reason. Ordinary requests give up
 * after {@link #REQUEST_TIMEOUT}; blocking queries (on their own client) after their wait plus that.
 */
final class ConsulConnection implements AutoCloseable {
    /**
     * An agent that holds thousands of services can take seconds over one registration (its work grows
     * with them, and a full anti-entropy sync holds it up), so the bound is generous.
     */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final String address;
    private final Consul requests;
    private final Consul watches;

    ConsulConnection(String address, Duration blockingWait) {
        this.address = checkedAddress(address);
        this.requests = client(REQUEST_TIMEOUT);
        this.watches = client(blockingWait.plus(REQUEST_TIMEOUT));
    }

    /**
     * {@code http://HOST:PORT} (or https), as Consul's own CONSUL_HTTP_ADDR takes it; nothing else, so a
     * typo fails at start-up rather than at the first request.
     */
    static String checkedAddress(String address) {
        URI uri;
        try {
            uri = new URI(address);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("invalid consul address '" + address + "': " + e.getReason());
        }
        boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        if (!http || uri.getHost() == null || uri.getPort() < 1 || uri.getUserInfo() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("invalid consul address '" + address + "': expected http://HOST:PORT");
        }
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private Consul client(Duration readTimeout) {
        return Consul.builder().withUrl(address).withPing(false)
                .withConnectTimeoutMillis(REQUEST_TIMEOUT.toMillis())
                .withReadTimeoutMillis(readTimeout.toMillis())
                .withWriteTimeoutMillis(REQUEST_TIMEOUT.toMillis())
                .build();
    }

    String address() {
        return address;
    }

    /** For writes and one-off reads. */
    Consul requests() {
        return requests;
    }

    /** For blocking queries only: its read timeout outlasts their wait. */
    Consul watches() {
        return watches;
    }

    /** Runs one Consul request, translating its failure; {@code what} says what it was for the message. */
    <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (ConsulException e) {
            throw failure(what, e);
        }
    }

    void run(String what, Runnable request) {
        call(what, () -> {
            request.run();
            return null;
        });
    }

    RuntimeException failure(String what, ConsulException e) {
        // no status: the request never got an answer (refused, reset, timed out); 5xx: no leader or the like
        if (!e.hasCode() || e.getCode() >= 500) {
            return new StoreUnavailableError("consul at " + address + " is unavailable (" + what + "): " + reason(e), e);
        }
        return new StoreException("consul at " + address + " refused to " + what + ": " + reason(e), e);
    }

    /** 404 from Consul: what the request named is not there. */
    static boolean notFound(ConsulException e) {
        return e.hasCode() && e.getCode() == 404;
    }

    /** The cause worth a message line: the I/O failure underneath, if any. */
    static String reason(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException io) {
                return io.getClass().getSimpleName() + (io.getMessage() == null ? "" : ": " + io.getMessage());
            }
        }
        return String.valueOf(e.getMessage());
    }

    @Override
    public void close() {
        requests.destroy();
        watches.destroy();
    }
}
