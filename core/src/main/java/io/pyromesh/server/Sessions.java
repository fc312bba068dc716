package io.pyromesh.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Instances of SESSION-mode classes, one per (session, object). A session ends when its proxy says so
 * ({@code Pyro.Daemon.close_session}) or after {@code SESSION_TIMEOUT} without calls; its instances
 * are then closed if they are {@link AutoCloseable}.
 */
final class Sessions {
    private static final Logger LOG = Logger.getLogger(Sessions.class.getName());

    private record Key(String session, String objectId) {}

    private static final class Entry {
        final Object instance;
        volatile long lastUsed;

        Entry(Object instance, long now) {
            this.instance = instance;
            this.lastUsed = now;
        }
    }

    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final long idleNanos;

    Sessions(Duration idle) {
        this.idleNanos = idle.toNanos();
    }

    Object instance(String session, String objectId, Supplier<?> creator) {
        long now = System.nanoTime();
        Entry entry = entries.computeIfAbsent(new Key(session, objectId), key -> new Entry(creator.get(), now));
        entry.lastUsed = now;
        return entry.instance;
    }

    int count() {
        return entries.size();
    }

    /** Ends one session: all its instances go. */
    void close(String session) {
        entries.entrySet().removeIf(e -> e.getKey().session.equals(session) && closed(e.getValue()));
    }

    /** Ends sessions idle for longer than the timeout. */
    void expire(long now) {
        entries.entrySet().removeIf(e -> now - e.getValue().lastUsed > idleNanos && closed(e.getValue()));
    }

    void closeAll() {
        entries.values().forEach(entry -> closeQuietly(entry.instance));
        entries.clear();
    }

    private static boolean closed(Entry entry) {
        closeQuietly(entry.instance);
        return true;
    }

    static void closeQuietly(Object instance) {
        if (instance instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing " + instance.getClass().getName() + " failed", e);
            }
        }
    }
}
