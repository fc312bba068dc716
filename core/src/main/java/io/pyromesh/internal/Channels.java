package io.pyromesh.internal;

import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.ManagedChannelRegistry;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.pyromesh.config.ConfigException;
import io.pyromesh.config.PyroConfig;
import java.net.URI;
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
    private static final String ABSTRACT_SCHEME = "unix-abstract:";
    private static final String UNIX_SCHEME = "unix:";
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
            entry = new Entry(newChannel(target, config));
            channels.put(key, entry);
        }
        entry.users++;
        return new Lease(key, entry);
    }

    private static ManagedChannel newChannel(String target, PyroConfig config) {
        return builder(target, config).build();
    }

    /**
     * A builder for a channel of its own to {@code target} (TCP, unix or abstract socket), with the TLS
     * settings and message size limit of {@code config}: for pools other than the shared one, such as a
     * mesh hop's.
     */
    public static ManagedChannelBuilder<?> builder(String target, PyroConfig config) {
        ManagedChannelBuilder<?> builder;
        try {
            builder = target.startsWith(ABSTRACT_SCHEME) || target.startsWith(UNIX_SCHEME)
                    ? domainSocketChannel(target, config)
                    : Grpc.newChannelBuilder(target, Tls.channelCredentials(config));
        } catch (ManagedChannelRegistry.ProviderNotFoundException unusable) {
            // the credentials could not be built, e.g. a certificate file that is not PEM
            throw new ConfigException("cannot connect to " + target + " with these TLS settings: " + unusable.getMessage());
        }
        return builder.maxInboundMessageSize(config.maxMessageSize()).userAgent("pyromesh");
    }

    /**
     * Unix sockets, given as an address: grpc-java has no resolver for Linux's abstract ones, and its
     * TCP keepalive option means nothing on a unix socket (Netty would warn about it on every connection).
     */
    private static ManagedChannelBuilder<?> domainSocketChannel(String target, PyroConfig config) {
        String path = URI.create(target).getSchemeSpecificPart();
        String address = target.startsWith(ABSTRACT_SCHEME) ? "\0" + path : path;
        return NettyChannelBuilder.forAddress(new DomainSocketAddress(address), Tls.channelCredentials(config))
                .eventLoopGroup(UnixSockets.eventLoop())
                .channelType(EpollDomainSocketChannel.class)
                .withOption(ChannelOption.SO_KEEPALIVE, null);
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
