package io.pyromesh.mesh.testing;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.pyromesh.proto.v1.BatchRequest;
import io.pyromesh.proto.v1.BatchResponse;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.MetadataRequest;
import io.pyromesh.proto.v1.ObjectMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An app that is not a Pyromesh daemon: a plain gRPC {@code Invoker} server on 127.0.0.1 whose
 * answers each test scripts, and which records what reached it (headers, deadline, cancellation, the
 * requests), so a test can see what a hop passed on.
 */
public final class RecordingApp implements AutoCloseable {
    /** What the app does with a call: answer on {@code out} as the test likes. */
    public interface Behaviour {
        void invoke(InvokeRequest request, StreamObserver<InvokeResponse> out);
    }

    private final Server server;
    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private volatile Behaviour behaviour = (request, out) -> {
        out.onNext(InvokeResponse.newBuilder().setResult(request.getArgs(0)).build());
        out.onCompleted();
    };
    private volatile Metadata lastHeaders;
    private volatile Deadline lastDeadline;
    private volatile InvokeRequest lastRequest;
    private volatile BatchRequest lastBatch;

    public RecordingApp() {
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                lastHeaders = headers;
                lastDeadline = Context.current().getDeadline();
                Context.current().addListener(context -> {
                    if (context.cancellationCause() != null && !(context.cancellationCause() instanceof java.util.concurrent.TimeoutException)) {
                        cancelled.countDown();
                    }
                }, Runnable::run);
                return Contexts.interceptCall(Context.current(), call, headers, next);
            }
        };
        InvokerGrpc.InvokerImplBase service = new InvokerGrpc.InvokerImplBase() {
            @Override
            public void invoke(InvokeRequest request, StreamObserver<InvokeResponse> out) {
                record(request);
                behaviour.invoke(request, out);
            }

            @Override
            public void invokeStream(InvokeRequest request, StreamObserver<InvokeResponse> out) {
                record(request);
                behaviour.invoke(request, out);
            }

            @Override
            public void invokeBatch(BatchRequest request, StreamObserver<BatchResponse> out) {
                calls.incrementAndGet();
                lastBatch = request;
                BatchResponse.Builder results = BatchResponse.newBuilder();
                request.getCallsList().forEach(call -> results.addResults(InvokeResponse.newBuilder().setResult(call.getArgs(0))));
                out.onNext(results.build());
                out.onCompleted();
            }

            @Override
            public void getMetadata(MetadataRequest request, StreamObserver<ObjectMetadata> out) {
                out.onNext(ObjectMetadata.newBuilder().addMethods("echo").build());
                out.onCompleted();
            }
        };
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .executor(Executors.newCachedThreadPool(runnable -> {
                        Thread thread = new Thread(runnable, "recording-app");
                        thread.setDaemon(true);
                        return thread;
                    }))
                    .maxInboundMessageSize(64 << 20)
                    .addService(ServerInterceptors.intercept(service, recorder))
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void record(InvokeRequest request) {
        calls.incrementAndGet();
        lastRequest = request;
    }

    public void behave(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    /** {@code 127.0.0.1:port}. */
    public String target() {
        return "127.0.0.1:" + port();
    }

    public int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    /** How many calls reached the app. */
    public int calls() {
        return calls.get();
    }

    public Metadata lastHeaders() {
        return lastHeaders;
    }

    public Deadline lastDeadline() {
        return lastDeadline;
    }

    public InvokeRequest lastRequest() {
        return lastRequest;
    }

    public BatchRequest lastBatch() {
        return lastBatch;
    }

    /** Waits until a call was cancelled by its caller (not by its deadline). */
    public boolean awaitCancellation(long seconds) throws InterruptedException {
        return cancelled.await(seconds, TimeUnit.SECONDS);
    }

    /** Stops at once, cutting calls in progress off: a process that died. */
    public void kill() {
        server.shutdownNow();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
