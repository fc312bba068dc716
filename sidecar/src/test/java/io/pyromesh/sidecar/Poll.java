package io.pyromesh.sidecar;

import io.pyromesh.naming.NameServer;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something that happens in another thread or process. */
final class Poll {
    private Poll() {}

    /** Waits (up to 5 s) until the name server has {@code name}, and returns its entry. */
    static NameServer.Entry untilPresent(NameServer ns, String name) {
        NameServer.Entry[] found = new NameServer.Entry[1];
        until(Duration.ofSeconds(5), "the name server has " + name, () -> {
            found[0] = ns.entries(name, null).stream().filter(entry -> entry.name().equals(name)).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    /** Polls every 5 ms until {@code condition} holds; returns how long that took, or fails after {@code limit}. */
    static Duration until(Duration limit, String what, BooleanSupplier condition) {
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit.toMillis() + " ms: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what);
            }
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
