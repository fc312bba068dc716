package io.pyromesh.mesh;

import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.pyromesh.internal.UnixSockets;
import java.util.logging.Logger;

/**
 * The event loop a hop's listener and its channels to targets share. A forwarded call is read, relayed
 * and answered on transport threads; when the connection it arrives on and the one it leaves on belong
 * to the same event loop, the relay writes inline instead of waking another thread, which is most of
 * what a hop adds to a call's latency. Fewer loops mean more calls relayed inline and fewer cores a
 * hop can use: by default there is one loop per two cores (one on a 2-core host), and
 * {@code PYROMESH_HOP_THREADS} (or the system property {@code pyromesh.hop.threads}) sets the number.
 */
public final class HopLoop {
    private static final int DEFAULT_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

    private HopLoop() {}

    private static final class Holder {
        static final boolean EPOLL = Epoll.isAvailable();
        static final EventLoopGroup LOOP = new MultiThreadIoEventLoopGroup(threads(), new DefaultThreadFactory("pyromesh-hop", true),
                EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    private static int threads() {
        return threads(System.getProperty("pyromesh.hop.threads", System.getenv("PYROMESH_HOP_THREADS")));
    }

    /** The number of loops {@code configured} asks for (null: the default); a bad value is warned of, then the default. */
    static int threads(String configured) {
        try {
            return configured == null ? DEFAULT_THREADS : Math.max(1, Integer.parseInt(configured.trim()));
        } catch (NumberFormatException notANumber) {
            Logger.getLogger(HopLoop.class.getName()).warning("PYROMESH_HOP_THREADS / pyromesh.hop.threads must be a number, not '"
                    + configured + "': using " + DEFAULT_THREADS + " event loop(s)");
            return DEFAULT_THREADS;
        }
    }

    /** Puts a hop's listener on the shared loop. */
    static NettyServerBuilder serve(NettyServerBuilder server) {
        return server.bossEventLoopGroup(Holder.LOOP).workerEventLoopGroup(Holder.LOOP)
                .channelType(Holder.EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
    }

    /** Puts a hop's TCP channel to a target on the shared loop. */
    public static NettyChannelBuilder connect(NettyChannelBuilder channel) {
        return channel.eventLoopGroup(Holder.LOOP).channelType(Holder.EPOLL ? EpollSocketChannel.class : NioSocketChannel.class);
    }

    /**
     * Puts a hop's unix-socket channel to a local target on the shared loop too: on a loop of its own,
     * every relayed message would wake a second thread on the way in and again on the way out. TCP's
     * keepalive option, which gRPC sets on every channel, is dropped: it means nothing on a unix socket,
     * and Netty would warn about it on every connection.
     */
    public static NettyChannelBuilder connectUnixSocket(NettyChannelBuilder channel) {
        // unix sockets need epoll: without it the shared loop is NIO's, and UnixSockets' own loop says why it cannot start
        return channel.eventLoopGroup(Holder.EPOLL ? Holder.LOOP : UnixSockets.eventLoop()).channelType(EpollDomainSocketChannel.class)
                .withOption(ChannelOption.SO_KEEPALIVE, null);
    }
}
