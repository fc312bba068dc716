package io.pyromesh.transport;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.pyromesh.config.PyroConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * gRPC channels shared by all proxies of a process. A channel is expensive (a connection, threads,
 * TLS handshakes) and thread-safe, so proxies to the same daemon share one; it is closed a while after
 * its last proxy let go of it, so that a program creating short-lived proxies in a loop keeps its
 * connection.
 */
public final class Channels {
    private static final Channels SHARED = new Channels(30, TimeUnit.SECONDS);

    private final Map<Key, Entry> channels = new HashMap<>();
    private final long lingerNanos;
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pyromesh-channel-closer");
        thread.setDaemon(true);
        return thread;
    });

    Channels(long linger, TimeUnit unit) {
        this.lingerNanos = unit.toNanos(linger);
    }

    /** The process-wide pool. */
    public static Channels shared() {
        return SHARED;
    }

    /** A channel to {@code target} (a gRPC target such as {@code host:port} or {@code unix:/path}). */
    public synchronized Lease acquire(String target, PyroConfig config) {
        Key key = new Key(target, config.ssl(), config.sslCaCerts(), config.sslClientCert(), config.maxMessageSize());
        Entry entry = channels.get(key);
        if (entry == null || entry.channel.isShutdown()) {
            entry = new Entry(Grpc.newChannelBuilder(target, Tls.channelCredentials(config))
                    .maxInboundMessageSize(config.maxMessageSize())
                    .userAgent("pyromesh")
                    .build());
            channels.put(key, entry);
        }
        entry.users++;
        return new Lease(key, entry);
    }

    private synchronized void release(Key key, Entry entry) {
        entry.users--;
        if (entry.users > 0) {
            return;
        }
        long generation = ++entry.releases;
        closer.schedule(() -> closeIfUnused(key, entry, generation), lingerNanos, TimeUnit.NANOSECONDS);
    }

    private synchronized void closeIfUnused(Key key, Entry entry, long generation) {
        if (entry.users == 0 && entry.releases == generation) {
            channels.remove(key, entry);
            entry.channel.shutdown();
        }
    }

    private record Key(String target, boolean ssl, String caCerts, String clientCert, int maxMessageSize) {}

    private static final class Entry {
        final ManagedChannel channel;
        int users;
        long releases;

        Entry(ManagedChannel channel) {
            this.channel = channel;
        }
    }

    /** One user's hold on a shared channel; release it exactly once. */
    public final class Lease {
        private final Key key;
        private final Entry entry;
        private boolean released;

        private Lease(Key key, Entry entry) {
            this.key = key;
            this.entry = entry;
        }

        public ManagedChannel channel() {
            return entry.channel;
        }

        public void release() {
            synchronized (Channels.this) {
                if (released) {
                    return;
                }
                released = true;
            }
            Channels.this.release(key, entry);
        }
    }
}
