package io.pyromesh.internal;

import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;

/** The one event loop that serves every unix-domain socket of the process (Linux epoll). */
public final class UnixSockets {
    private UnixSockets() {}

    private static final class Holder {
        static final EventLoopGroup LOOP = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("pyromesh-unix", true),
                EpollIoHandler.newFactory());
    }

    public static EventLoopGroup eventLoop() {
        return Holder.LOOP;
    }
}
