package io.pyromesh.internal;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/2 keepalive pings between Pyromesh's processes. A connection that has gone silently dead (a host
 * that vanished, a NAT or load balancer that dropped the flow) looks open to TCP for hours; a hop's
 * long-lived calls, the name server's {@code Watch} above all, would wait on it forever while their
 * cache goes stale. A hop's channels therefore ping a quiet connection that has calls open, and every
 * Pyromesh server accepts pings that often (grpc-java's servers refuse pings more often than every
 * five minutes by default, and would end such a connection as abusive).
 */
public final class Keepalive {
    /** How long a connection with calls open may stay quiet before a hop's channel pings it. */
    public static final long PING_AFTER_SECONDS = 30;
    /** How long a ping waits for its answer before the connection counts as dead. */
    public static final long PING_TIMEOUT_SECONDS = 10;
    /** The shortest interval between a client's pings that Pyromesh's servers accept (grpc-java's least). */
    static final long PERMITTED_SECONDS = 10;

    private Keepalive() {}

    /** Lets clients ping {@code server} as often as every {@value #PERMITTED_SECONDS} s while they have calls open. */
    public static NettyServerBuilder permitPings(NettyServerBuilder server) {
        return server.permitKeepAliveTime(PERMITTED_SECONDS, TimeUnit.SECONDS);
    }
}
