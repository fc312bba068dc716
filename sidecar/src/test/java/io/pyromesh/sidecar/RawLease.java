package io.pyromesh.sidecar;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pyromesh.proto.v1.AppMessage;
import io.pyromesh.proto.v1.AttachRequest;
import io.pyromesh.proto.v1.AttachedObject;
import io.pyromesh.proto.v1.Endpoint;
import io.pyromesh.proto.v1.ObjectsUpdate;
import io.pyromesh.proto.v1.SidecarGrpc;
import io.pyromesh.proto.v1.SidecarMessage;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An Attach stream driven message by message, as an app in any language would, to test what the sidecar answers. */
final class RawLease implements AutoCloseable {
    private final ManagedChannel channel;
    private final boolean ownChannel;
    private final ClientCallStreamObserver<AppMessage> requests;
    private final BlockingQueue<SidecarMessage> answers = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> end = new CompletableFuture<>();
    private volatile Metadata trailers;

    RawLease(int localPort) {
        this(NettyChannelBuilder.forAddress("127.0.0.1", localPort).usePlaintext().build(), true);
    }

    /** A stream on a channel of the caller's, which closing this leaves open. */
    RawLease(ManagedChannel shared) {
        this(shared, false);
    }

    private RawLease(ManagedChannel channel, boolean ownChannel) {
        this.channel = channel;
        this.ownChannel = ownChannel;
        requests = (ClientCallStreamObserver<AppMessage>) SidecarGrpc.newStub(channel).attach(new StreamObserver<>() {
            @Override
            public void onNext(SidecarMessage message) {
                answers.add(message);
            }

            @Override
            public void onError(Throwable failure) {
                trailers = Status.trailersFromThrowable(failure);
                end.complete(Status.fromThrowable(failure));
            }

            @Override
            public void onCompleted() {
                end.complete(Status.OK);
            }
        });
    }

    static AttachedObject object(String id, String name, String... tags) {
        return AttachedObject.newBuilder().setId(id).setName(name).addAllMetadata(java.util.List.of(tags)).build();
    }

    static AttachRequest request(int port, AttachedObject... objects) {
        return AttachRequest.newBuilder().setApp("raw test app").setEndpoint(Endpoint.newBuilder().setLoopbackPort(port))
                .addAllObjects(java.util.List.of(objects)).build();
    }

    RawLease send(AttachRequest attach) {
        requests.onNext(AppMessage.newBuilder().setAttach(attach).build());
        return this;
    }

    RawLease send(ObjectsUpdate update) {
        requests.onNext(AppMessage.newBuilder().setUpdate(update).build());
        return this;
    }

    RawLease send(AppMessage message) {
        requests.onNext(message);
        return this;
    }

    /** The next message of the sidecar (within 10 s). */
    SidecarMessage answer() throws InterruptedException {
        SidecarMessage message = answers.poll(10, TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("the sidecar sent nothing; the stream ended with " + end.getNow(null));
        }
        return message;
    }

    /** How the sidecar ended the stream (within 10 s). */
    Status ended() throws Exception {
        return end.get(10, TimeUnit.SECONDS);
    }

    /** How the sidecar ended the stream, if it did within {@code wait}; null if the stream is still open. */
    Status endedWithin(java.time.Duration wait) throws Exception {
        try {
            return end.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException stillOpen) {
            return null;
        }
    }

    /** The trailers of a stream the sidecar ended with an error. */
    Metadata endTrailers() throws Exception {
        ended();
        return trailers;
    }

    /** Ends the lease as a well-behaved app does. */
    void finish() {
        requests.onCompleted();
    }

    /** Cancels the stream (as a dying app's does), and closes the channel if it is this lease's own. */
    @Override
    public void close() {
        requests.cancel("the test is done with it", null);
        if (ownChannel) {
            channel.shutdownNow();
        }
    }
}
