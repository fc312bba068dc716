package io.pyromesh.bench;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.pyromesh.bench.raw.EchoMessage;
import io.pyromesh.bench.raw.RawEchoGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The baseline: a hand-written grpc-java echo service and its blocking and asynchronous stubs, on loopback. */
final class RawGrpcTarget implements EchoTarget {
    private static final int MAX_MESSAGE = 64 * 1024 * 1024;

    private final Server server;
    private final ManagedChannel channel;
    private final RawEchoGrpc.RawEchoBlockingStub stub;
    private final RawEchoGrpc.RawEchoStub asyncStub;

    RawGrpcTarget() {
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .maxInboundMessageSize(MAX_MESSAGE)
                    .addService(new RawEchoGrpc.RawEchoImplBase() {
                        @Override
                        public void echo(EchoMessage request, StreamObserver<EchoMessage> out) {
                            out.onNext(request);
                            out.onCompleted();
                        }
                    })
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext()
                .maxInboundMessageSize(MAX_MESSAGE).build();
        stub = RawEchoGrpc.newBlockingStub(channel);
        asyncStub = RawEchoGrpc.newStub(channel);
    }

    @Override
    public String echo(String text) {
        return stub.echo(EchoMessage.newBuilder().setText(text).build()).getText();
    }

    @Override
    public CompletableFuture<String> echoAsync(String text) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        asyncStub.echo(EchoMessage.newBuilder().setText(text).build(), new StreamObserver<>() {
            @Override
            public void onNext(EchoMessage message) {
                reply.complete(message.getText());
            }

            @Override
            public void onError(Throwable error) {
                reply.completeExceptionally(error);
            }

            @Override
            public void onCompleted() {
                // the reply came with onNext
            }
        });
        return reply;
    }

    @Override
    public byte[] echoBytes(byte[] data) {
        return stub.echo(EchoMessage.newBuilder().setData(ByteString.copyFrom(data)).build()).getData().toByteArray();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
