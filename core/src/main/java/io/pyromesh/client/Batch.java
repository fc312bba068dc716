package io.pyromesh.client;

import io.pyromesh.errors.RemoteException;
import io.pyromesh.proto.v1.BatchResponse;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

/**
 * Calls recorded to be sent to one object in a single round trip (Pyro's {@code BatchProxy}).
 *
 * <pre>{@code
 * Batch batch = proxy.batch().call("add", 1, 2).call("multiply", 3, 4);
 * Iterator<Object> results = batch.execute();   // 3, then 12
 * }</pre>
 *
 * The daemon runs the calls in order and stops at the first exception, which {@link #execute()}'s
 * iterator throws when iteration reaches that call. Streaming methods cannot be batched. A method
 * returning a {@code CompletionStage} is waited for before the next call runs.
 */
public final class Batch {
    private final Proxy proxy;
    private final List<InvokeRequest> calls = new ArrayList<>();

    Batch(Proxy proxy) {
        this.proxy = proxy;
    }

    /** Records a call; nothing is sent yet. */
    public Batch call(String method, Object... args) {
        InvokeRequest.Builder call = InvokeRequest.newBuilder().setMethod(method);
        for (Object arg : args) {
            call.addArgs(proxy.codec.encode(arg));
        }
        calls.add(call.build());
        return this;
    }

    /** Sends the recorded calls; the iterator yields their results in order. */
    public Iterator<Object> execute() {
        return results(proxy.sendBatch(List.copyOf(calls), false));
    }

    /**
     * Sends the recorded calls without waiting: the future completes with {@link #execute()}'s iterator
     * when the results arrive, or fails as {@code execute()} would throw (see {@link Proxy#callAsync}).
     */
    public CompletableFuture<Iterator<Object>> executeAsync() {
        return Futures.map(proxy.sendBatchAsync(List.copyOf(calls)), this::results, failure -> failure);
    }

    private Iterator<Object> results(BatchResponse response) {
        Iterator<InvokeResponse> results = response.getResultsList().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return results.hasNext();
            }

            @Override
            public Object next() {
                if (!results.hasNext()) {
                    throw new NoSuchElementException("no more batch results");
                }
                InvokeResponse result = results.next();
                if (result.hasError()) {
                    throw RemoteException.raised(result.getError());
                }
                return proxy.codec.decode(result.getResult());
            }
        };
    }

    /** Sends the recorded calls without waiting for them to run; their results are never seen. */
    public void executeOneway() {
        proxy.sendBatch(List.copyOf(calls), true);
    }
}
