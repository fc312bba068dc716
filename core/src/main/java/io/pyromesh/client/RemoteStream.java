package io.pyromesh.client;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.pyromesh.errors.ConnectionClosedError;
import io.pyromesh.errors.RemoteException;
import io.pyromesh.errors.TimeoutError;
import io.pyromesh.internal.CallState;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.Value;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A streamed result as an iterator. Items are requested from the server a few at a time as the
 * caller consumes them, so an endless remote generator never floods the client; the proxy's timeout
 * applies to the wait for each item, as in Pyro where every item is a call of its own.
 */
final class RemoteStream<T> implements CloseableIterator<T>, ClientResponseObserver<InvokeRequest, InvokeResponse> {
    private static final int PREFETCH = 8;
    private static final Object END = new Object();

    private record Failure(Throwable error) {}

    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final Function<Value, T> decode;
    private final Function<Throwable, RuntimeException> failure;
    private final Duration timeout;
    private final CallHeaders headers;
    private volatile ClientCallStreamObserver<InvokeRequest> call;
    private InvokeResponse next;
    private boolean done;

    RemoteStream(Function<Value, T> decode, Function<Throwable, RuntimeException> failure, Duration timeout, CallHeaders headers) {
        this.decode = decode;
        this.failure = failure;
        this.timeout = timeout;
        this.headers = headers;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<InvokeRequest> requestStream) {
        this.call = requestStream;
        requestStream.disableAutoRequestWithInitial(PREFETCH);
    }

    @Override
    public void onNext(InvokeResponse response) {
        arrived.add(response);
    }

    @Override
    public void onError(Throwable error) {
        arrived.add(new Failure(error));
    }

    @Override
    public void onCompleted() {
        arrived.add(END);
    }

    @Override
    public synchronized boolean hasNext() {
        if (done) {
            return false;
        }
        if (next != null) {
            return true;
        }
        Object item = take();
        if (item == END) {
            end();
            return false;
        }
        if (item instanceof Failure f) {
            end();
            throw failure.apply(f.error);
        }
        InvokeResponse response = (InvokeResponse) item;
        if (response.hasError()) {
            end();
            call.cancel("stream ended by a remote exception", null);
            throw RemoteException.raised(response.getError());
        }
        next = response;
        return true;
    }

    @Override
    public synchronized T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the remote stream has no more items");
        }
        InvokeResponse response = next;
        next = null;
        call.request(1);
        return decode.apply(response.getResult());
    }

    /** Stops the stream: the server is told, and closes its iterator or stream. */
    @Override
    public synchronized void close() {
        if (!done) {
            end();
            call.cancel("closed by the client", null);
        }
    }

    private void end() {
        done = true;
        CallState.current().setReceivedAnnotations(headers.received());
    }

    private Object take() {
        try {
            if (timeout.isZero()) {
                return arrived.take();
            }
            Object item = arrived.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (item == null) {
                close();
                throw new TimeoutError("receiving: timeout (no stream item within " + timeout.toMillis() / 1000.0 + " s)");
            }
            return item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new ConnectionClosedError("interrupted while waiting for a stream item");
        }
    }
}
