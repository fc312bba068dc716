package io.pyromesh.bench;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.pyromesh.internal.ReceivedMessages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * The least a gRPC hop can be in grpc-java, for {@link HopsBench}: every call, whatever its method, relayed
 * undecoded to one target, with the listener and the channel on one event loop and every callback on its
 * thread, and messages read as one array each, as a Pyromesh hop relays, but with nothing else: no route,
 * no headers looked at, no limits, no metrics, no errors of its own. Usage: {@code BareRelay HOST:PORT}; prints {@code relaying on 127.0.0.1:PORT}.
 */
final class BareRelay {
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] message) {
            return new ByteArrayInputStream(message);
        }

        /** One array of the message's size, as a Pyromesh hop reads it: the two differ in what they do per call, not in this. */
        @Override
        public byte[] parse(InputStream message) {
            try {
                return ReceivedMessages.readWhole(message);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private BareRelay() {}

    public static void main(String[] args) throws Exception {
        boolean epoll = Epoll.isAvailable();
        // as many loops as a hop has by default (one per two cores)
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        ManagedChannel target = NettyChannelBuilder.forTarget(args[0]).usePlaintext().eventLoopGroup(loop)
                .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class).directExecutor().disableRetry().build();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .bossEventLoopGroup(loop).workerEventLoopGroup(loop)
                .channelType(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .directExecutor().fallbackHandlerRegistry(new AnyMethod(target)).build().start();
        System.out.println("relaying on 127.0.0.1:" + server.getPort());
        System.out.flush();
        server.awaitTermination();
    }

    /** Every method name, relayed to the target. */
    private static final class AnyMethod extends HandlerRegistry {
        private final ManagedChannel target;

        AnyMethod(ManagedChannel target) {
            this.target = target;
        }

        @Override
        public ServerMethodDefinition<?, ?> lookupMethod(String name, String authority) {
            MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNKNOWN).setFullMethodName(name)
                    .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
            ServerCallHandler<byte[], byte[]> relay = (downstream, headers) -> relay(method, downstream, headers);
            return ServerMethodDefinition.create(method, relay);
        }

        private ServerCall.Listener<byte[]> relay(MethodDescriptor<byte[], byte[]> method, ServerCall<byte[], byte[]> downstream, Metadata headers) {
            ClientCall<byte[], byte[]> upstream = target.newCall(method, CallOptions.DEFAULT);
            upstream.start(new ClientCall.Listener<byte[]>() {
                @Override
                public void onHeaders(Metadata responseHeaders) {
                    downstream.sendHeaders(responseHeaders);
                }

                @Override
                public void onMessage(byte[] response) {
                    downstream.sendMessage(response);
                    upstream.request(1);
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    downstream.close(status, trailers);
                }
            }, headers);
            upstream.request(1);
            downstream.request(1);
            return new ServerCall.Listener<byte[]>() {
                @Override
                public void onMessage(byte[] request) {
                    upstream.sendMessage(request);
                    downstream.request(1);
                }

                @Override
                public void onHalfClose() {
                    upstream.halfClose();
                }

                @Override
                public void onCancel() {
                    upstream.cancel("the caller cancelled", null);
                }
            };
        }
    }
}
