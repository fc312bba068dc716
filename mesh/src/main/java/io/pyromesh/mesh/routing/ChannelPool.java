package io.pyromesh.mesh.routing;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.internal.Channels;
import io.pyromesh.internal.Keepalive;
import io.pyromesh.mesh.HopLoop;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A hop's channels, one per target ({@code host:port}, {@code unix:path}), made on first use and kept:
 * every call to a target shares its connection. Each target has a connection of its own, so a slow or
 * dead target holds up only the calls sent to it. A channel idle for {@value #IDLE_MINUTES} minutes
 * lets its connection go (and makes a new one on its next call); at most {@value #LIMIT} targets are
 * kept, the least recently used one closed to make room.
 *
 * <p>Channels carry {@code MAX_MESSAGE_SIZE} as their bound on received messages and TLS from
 * {@code PYRO_SSL_*} (a hop presents {@code SSL_CLIENTCERT} to its targets for mutual TLS). Their
 * callbacks run on the transport's threads: a forwarding hop does not block in them. A connection with
 * calls open that stays quiet for {@value Keepalive#PING_AFTER_SECONDS} s is pinged, and closed when the
 * ping goes unanswered for {@value Keepalive#PING_TIMEOUT_SECONDS} s, which ends its calls UNAVAILABLE.
 */
public final class ChannelPool implements AutoCloseable {
    static final int IDLE_MINUTES = 5;
    static final int LIMIT = 10_000;

    private final PyroConfig config;
    private final Duration pingAfter;
    private final Duration pingTimeout;
    private final Map<String, Entry> channels = new ConcurrentHashMap<>();

    public ChannelPool(PyroConfig config) {
        this(config, Duration.ofSeconds(Keepalive.PING_AFTER_SECONDS), Duration.ofSeconds(Keepalive.PING_TIMEOUT_SECONDS));
    }

    /** With keepalive pings after {@code pingAfter} of quiet (10 s at least, grpc-java's floor), for tests. */
    ChannelPool(PyroConfig config, Duration pingAfter, Duration pingTimeout) {
        this.config = config;
        this.pingAfter = pingAfter;
        this.pingTimeout = pingTimeout;
    }

    private static final class Entry {
        final ManagedChannel channel;
        volatile long lastUsed = System.nanoTime();

        Entry(ManagedChannel channel) {
            this.channel = channel;
        }
    }

    /** The channel to a gRPC target, e.g. {@code 10.0.0.2:9100}. */
    public ManagedChannel channel(String target) {
        Entry entry = channels.get(target);
        if (entry == null || entry.channel.isShutdown()) {
            entry = channels.compute(target, (key, old) -> old == null || old.channel.isShutdown() ? new Entry(open(key)) : old);
            if (channels.size() > LIMIT) {
                evictLeastRecentlyUsed(target);
            }
        }
        entry.lastUsed = System.nanoTime();
        return entry.channel;
    }

    private ManagedChannel open(String target) {
        ManagedChannelBuilder<?> builder = Channels.builder(target, config);
        if (builder instanceof NettyChannelBuilder netty) {
            if (target.startsWith("unix")) {
                HopLoop.connectUnixSocket(netty);
            } else {
                HopLoop.connect(netty);
            }
        }
        return builder
                .directExecutor()
                // failover is the relay's, only where a call provably did not leave; gRPC's own retries
                // would also buffer every message of every call until it commits
                .disableRetry()
                // a watch or a stream on a connection that died silently would wait on it for hours
                .keepAliveTime(pingAfter.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(pingTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .idleTimeout(IDLE_MINUTES, TimeUnit.MINUTES)
                .userAgent("pyromesh-hop")
                .build();
    }

    private void evictLeastRecentlyUsed(String keep) {
        channels.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(keep))
                .min(Comparator.comparingLong(entry -> entry.getValue().lastUsed))
                .ifPresent(oldest -> evict(oldest.getKey()));
    }

    /** Closes the channel to a target that is gone (calls on it in progress may finish). */
    public void evict(String target) {
        Entry entry = channels.remove(target);
        if (entry != null) {
            entry.channel.shutdown();
        }
    }

    /** How many targets have a channel. */
    public int size() {
        return channels.size();
    }

    @Override
    public void close() {
        channels.keySet().forEach(this::evict);
    }
}
