package io.pyromesh.mesh.routing;

import io.grpc.Status;
import io.pyromesh.uri.PyroURI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A router's view of one {@code PYRO:} URI it sends calls to: how many of its calls are in flight there,
 * and whether it is set aside after failing (UNAVAILABLE or NOT_FOUND) for {@value #FIRST_EJECTION_MILLIS}
 * ms, doubling with each failure in a row up to {@value #LAST_EJECTION_MILLIS} ms. A success, or the
 * name server putting its registration anew, takes it back.
 */
final class Endpoint {
    static final long FIRST_EJECTION_MILLIS = 1_000;
    static final long LAST_EJECTION_MILLIS = 30_000;

    final PyroURI uri;
    final AtomicInteger inFlight = new AtomicInteger();
    private int failures;
    private volatile long ejectedUntil;
    private volatile String ejectedBecause = "";

    Endpoint(PyroURI uri) {
        this.uri = uri;
    }

    boolean ejected(long now) {
        long until = ejectedUntil;
        return until != 0 && now < until;
    }

    /** How long it stays set aside from {@code now}, or null if it is not. */
    Duration ejectedFor(long now) {
        return ejected(now) ? Duration.ofNanos(ejectedUntil - now) : null;
    }

    long ejectedUntil() {
        return ejectedUntil;
    }

    String ejectedBecause() {
        return ejectedBecause;
    }

    /** Records a failure; true if it is now set aside. */
    synchronized boolean failed(Status status) {
        failures++;
        long pause = Math.min(LAST_EJECTION_MILLIS, FIRST_EJECTION_MILLIS << Math.min(failures - 1, 16));
        ejectedUntil = System.nanoTime() + pause * 1_000_000;
        String description = status.getDescription();
        ejectedBecause = status.getCode() + (description == null ? "" : ": " + abbreviate(description));
        return true;
    }

    synchronized void reinstated() {
        failures = 0;
        ejectedUntil = 0;
        ejectedBecause = "";
    }

    private static String abbreviate(String text) {
        return text.length() <= 160 ? text : text.substring(0, 160) + "...";
    }
}
