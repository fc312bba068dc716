package io.pyromesh.sidecar;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.internal.Tls;
import io.pyromesh.mesh.HopLoop;
import io.pyromesh.proto.v1.Endpoint;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One app's lease: who it is, where it serves Invoker, and the channel the sidecar calls it on. The
 * channel belongs to this lease alone and is shut down when the lease ends, so a call meant for this app
 * can never reach another process that listens on the same endpoint later.
 */
final class AttachedApp {
    final String leaseId;
    final String label;
    final Endpoint endpoint;
    final ManagedChannel channel;
    private final String description;
    /** Set once the endpoint answered for every object: from then on calls are routed here. */
    private volatile boolean live;
    private volatile boolean ended;

    AttachedApp(String leaseId, String label, Endpoint endpoint, PyroConfig config) {
        this.leaseId = leaseId;
        this.label = label.isEmpty() ? "unnamed app" : label;
        this.endpoint = endpoint;
        this.channel = channelTo(endpoint, config);
        this.description = "app '" + this.label + "' (" + leaseId + ") at " + where();
    }

    private static ManagedChannel channelTo(Endpoint endpoint, PyroConfig config) {
        NettyChannelBuilder builder = endpoint.hasUnixSocket()
                ? HopLoop.connectUnixSocket(NettyChannelBuilder.forAddress(new DomainSocketAddress(endpoint.getUnixSocket()),
                        Tls.channelCredentials(config)))
                : HopLoop.connect(NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", endpoint.getLoopbackPort()),
                        Tls.channelCredentials(config)));
        return builder.maxInboundMessageSize(config.maxMessageSize())
                // the relay's listeners never block: answers go on from the transport's thread, with no hand-off
                .directExecutor()
                // a hop never sends a call twice: only the caller knows whether that is safe
                .disableRetry()
                // an idle channel would reconnect on its next call, to whoever listens there by then
                .idleTimeout(Long.MAX_VALUE, TimeUnit.DAYS)
                .userAgent("pyromesh-sidecar")
                .build();
    }

    /** Where the app listens, for messages: {@code 127.0.0.1:9200} or {@code ./u:/run/app.sock}. */
    String where() {
        return endpoint.hasUnixSocket() ? "./u:" + endpoint.getUnixSocket().replace("\0", "\\0") : "127.0.0.1:" + endpoint.getLoopbackPort();
    }

    void goLive() {
        live = true;
    }

    boolean isLive() {
        return live && !ended;
    }

    boolean wasLive() {
        return live;
    }

    /** Ends the lease's hold on the app: no call goes there from now on, and those under way fail. */
    void end() {
        ended = true;
        channel.shutdownNow();
    }

    @Override
    public String toString() {
        return description;
    }
}
