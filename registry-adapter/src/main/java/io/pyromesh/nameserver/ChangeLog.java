package io.pyromesh.nameserver;

import io.pyromesh.nameserver.store.Registration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The name server's revisions and its most recent changes, for {@code Watch}. Every change gets the next
 * revision; the log keeps the last {@code capacity} of them in a ring, so a watcher that was briefly away
 * can resume where it was and one that was away longer gets a snapshot instead. Thread-safe; appending
 * tells the {@linkplain #onAppend listener}, which must not block.
 */
final class ChangeLog {
    static final int DEFAULT_CAPACITY = 10_000;

    /** Why a name changed (the proto's {@code WatchEvent.Cause}). */
    enum Cause { CLIENT, LEASE_EXPIRED, AUTOCLEAN, EXTERNAL }

    /**
     * One change: {@code current} is the registration now under {@code name}, or null if the name went.
     * The lease of {@code current} is its expiry instant, so a watcher can be told how much is left.
     */
    record Change(long revision, String name, Registration current, Cause cause) {}

    /** Random, not secret: a name server starts faster without seeding the secure generator for it. */
    private final String historyId = new UUID(ThreadLocalRandom.current().nextLong(), ThreadLocalRandom.current().nextLong()).toString();
    private final Change[] ring;
    private long revision;
    private volatile Runnable onAppend = () -> {};

    ChangeLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the change log must hold at least one change, not " + capacity);
        }
        this.ring = new Change[capacity];
    }

    /** Identifies this run's sequence of revisions: revisions of different histories are unrelated. */
    String historyId() {
        return historyId;
    }

    synchronized long revision() {
        return revision;
    }

    /** Who to tell that there is a new change (the watches); called after each append, outside the log's lock. */
    void onAppend(Runnable listener) {
        this.onAppend = listener;
    }

    void put(Registration current, Cause cause) {
        append(current.name(), current, cause);
    }

    void removed(String name, Cause cause) {
        append(name, null, cause);
    }

    private void append(String name, Registration current, Cause cause) {
        synchronized (this) {
            revision++;
            ring[(int) (revision % ring.length)] = new Change(revision, name, current, cause);
        }
        onAppend.run();
    }

    /**
     * Up to {@code max} changes after {@code since}, oldest first (empty when there are none yet), or null
     * when some of them have already left the log, so that only a snapshot can bring the caller up to date.
     */
    synchronized List<Change> after(long since, int max) {
        long oldest = Math.max(1, revision - ring.length + 1);
        if (since + 1 < oldest) {
            return null;
        }
        List<Change> changes = new ArrayList<>((int) Math.max(0, Math.min(max, revision - since)));
        for (long next = since + 1; next <= revision && changes.size() < max; next++) {
            changes.add(ring[(int) (next % ring.length)]);
        }
        return changes;
    }
}
