package io.pyromesh.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Waiting for something another thread or process brings about, up to a bound the behaviour promises. */
public final class Eventually {
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Duration DEFAULT_BOUND = Duration.ofSeconds(10);

    private Eventually() {}

    /** Returns as soon as {@code condition} holds; an AssertionError naming {@code what} if not within {@code bound}. */
    public static void within(Duration bound, String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(bound);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + ": not within " + bound.toMillis() + " ms");
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting until " + what, e);
            }
        }
    }

    /** As {@link #within}, for something that should happen soon: within ten seconds. */
    public static void awaitTrue(BooleanSupplier condition) {
        within(DEFAULT_BOUND, "condition", condition);
    }
}
