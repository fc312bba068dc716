package io.pyromesh.client;

import com.google.protobuf.MessageLite;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.pyromesh.errors.PyroError;
import java.util.concurrent.CompletableFuture;

/**
 * One unary call made without holding a thread, under the rules of a blocking call: each attempt has
 * the proxy's timeout as its deadline; an attempt that timed out or lost its connection, and that the
 * daemon did not answer with a Pyro error, is sent again up to {@code maxRetries} times; a channel
 * whose last connection attempt failed is reconnected first; failures are the same Pyro errors.
 * {@link #result} completes on a gRPC thread; cancelling it cancels the call on the daemon too.
 */
final class UnaryCall<Q extends MessageLite, R> {
    final CompletableFuture<R> result = new CompletableFuture<>();

    private final Proxy proxy;
    private final MethodDescriptor<Q, R> method;
    private final CallHeaders headers;
    private volatile ClientCall<Q, R> current;
    private Proxy.Connection bound;
    private Q request;
    /** Attempts made so far; touched by one attempt's callbacks at a time. */
    private int attempts;

    UnaryCall(Proxy proxy, MethodDescriptor<Q, R> method, CallHeaders headers) {
        this.proxy = proxy;
        this.method = method;
        this.headers = headers;
        result.whenComplete((value, failure) -> {
            ClientCall<Q, R> call = current;
            if (result.isCancelled() && call != null) {
                call.cancel("cancelled by the caller", null);
            }
        });
    }

    /** Sends {@code request} over {@code bound}'s channel. */
    void start(Proxy.Connection bound, Q request) {
        this.bound = bound;
        this.request = request;
        try {
            proxy.checkSize(request);
        } catch (PyroError tooLarge) {
            fail(tooLarge);
            return;
        }
        attempt();
    }

    /** Ends the call before it was sent (binding failed, or the request was refused locally). */
    void fail(Throwable failure) {
        result.completeExceptionally(Futures.unwrapped(failure));
    }

    private void attempt() {
        CompletableFuture<ManagedChannel> ready = proxy.readyChannel(bound);
        if (ready.isDone()) {
            send(ready.join());
        } else {
            ready.thenAccept(this::send);
        }
    }

    private void send(ManagedChannel channel) {
        if (result.isDone()) {
            return; // cancelled while the channel reconnected
        }
        try {
            call(channel);
        } catch (RuntimeException unsendable) {
            fail(unsendable);
        }
    }

    private void call(ManagedChannel channel) {
        ClientCall<Q, R> call = ClientInterceptors.intercept(channel, headers).newCall(method, proxy.callOptions());
        current = call;
        ClientCalls.asyncUnaryCall(call, request, new StreamObserver<>() {
            private R response;

            @Override
            public void onNext(R value) {
                response = value;
            }

            @Override
            public void onError(Throwable error) {
                failed(error instanceof StatusRuntimeException status ? status : Status.fromThrowable(error).asRuntimeException());
            }

            @Override
            public void onCompleted() {
                result.complete(response);
            }
        });
        if (result.isCancelled()) {
            call.cancel("cancelled by the caller", null); // cancelled while this attempt started
        }
    }

    private void failed(StatusRuntimeException error) {
        if (result.isDone()) {
            return;
        }
        if (proxy.retries(error, attempts++)) {
            attempt();
        } else {
            result.completeExceptionally(proxy.failed(bound, error));
        }
    }
}
