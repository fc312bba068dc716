package io.pyromesh.mesh.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something that happens on another thread, failing the test if it never does. */
public final class Eventually {
    private Eventually() {}

    /** Polls {@code condition} every 10 ms until it holds; AssertionError naming {@code what} after {@code limit}. */
    public static void until(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting after " + limit + " for: " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what);
            }
        }
    }
}
