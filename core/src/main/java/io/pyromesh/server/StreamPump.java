package io.pyromesh.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.pyromesh.errors.ProtocolError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.proto.v1.InvokeResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.BaseStream;

/**
 * Sends the items of a streamed result as the client takes them. It runs on its own thread, pulls one
 * item only when the transport can take it (so an endless generator costs nothing while the client
 * is slow), and closes the iterator or stream when the client cancels, the items end, or the
 * stream outlives {@code ITER_STREAM_LIFETIME}.
 */
final class StreamPump implements Runnable {
    private static final long POLL_MILLIS = 200;

    private final ServerCallStreamObserver<InvokeResponse> out;
    private final Dispatcher dispatcher;
    private final Dispatcher.Prepared prepared;
    private final InboundCall inbound;
    private final Duration lifetime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readyOrCancelled = lock.newCondition();
    private volatile boolean cancelled;

    StreamPump(ServerCallStreamObserver<InvokeResponse> out, Dispatcher dispatcher, Dispatcher.Prepared prepared,
            InboundCall inbound, Duration lifetime) {
        this.out = out;
        this.dispatcher = dispatcher;
        this.prepared = prepared;
        this.inbound = inbound;
        this.lifetime = lifetime;
        out.setOnReadyHandler(this::wake);
        out.setOnCancelHandler(() -> {
            cancelled = true;
            wake();
        });
    }

    @Override
    public void run() {
        Object result;
        try {
            result = dispatcher.call(prepared, inbound);
        } catch (Throwable thrown) {
            finish(InvokeResponse.newBuilder().setError(RemoteErrors.of(thrown)).build());
            return;
        }
        Iterator<?> items = iteratorOf(result);
        try {
            pump(items);
        } finally {
            closeQuietly(result);
        }
    }

    private void pump(Iterator<?> items) {
        long started = System.nanoTime();
        while (true) {
            if (!awaitReady()) {
                return;
            }
            if (!lifetime.isZero() && System.nanoTime() - started > lifetime.toNanos()) {
                fail(new ProtocolError("stream of " + prepared.member() + "() exceeded its lifetime of "
                        + lifetime.toMillis() / 1000.0 + " s (ITER_STREAM_LIFETIME)"), Status.Code.ABORTED);
                return;
            }
            Object item;
            try {
                if (!items.hasNext()) {
                    finish(null);
                    return;
                }
                item = items.next();
            } catch (Throwable thrown) {
                finish(InvokeResponse.newBuilder().setError(RemoteErrors.of(thrown)).build());
                return;
            }
            try {
                out.onNext(InvokeResponse.newBuilder().setResult(dispatcher.encodeResult(prepared, item)).build());
            } catch (PyroError unserializable) {
                fail(unserializable, Status.Code.INTERNAL);
                return;
            } catch (StatusRuntimeException alreadyCancelled) {
                return;
            }
        }
    }

    /** Waits until the transport takes another item; false once the client has gone. */
    private boolean awaitReady() {
        lock.lock();
        try {
            while (!cancelled && !out.isReady()) {
                readyOrCancelled.await(POLL_MILLIS, TimeUnit.MILLISECONDS);
            }
            return !cancelled;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void wake() {
        lock.lock();
        try {
            readyOrCancelled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream normally, after a last response (an error) if there is one. */
    private void finish(InvokeResponse last) {
        if (cancelled) {
            return;
        }
        try {
            if (last != null) {
                out.onNext(last);
            }
            out.onCompleted();
        } catch (StatusRuntimeException alreadyCancelled) {
            // the client went away while we were finishing: nothing left to tell it
        }
    }

    private void fail(PyroError error, Status.Code code) {
        if (cancelled) {
            return;
        }
        try {
            out.onError(GrpcErrors.toStatus(error, code));
        } catch (StatusRuntimeException alreadyCancelled) {
            // as in finish()
        }
    }

    static Iterator<?> iteratorOf(Object result) {
        if (result instanceof Iterator<?> iterator) {
            return iterator;
        }
        if (result instanceof BaseStream<?, ?> stream) {
            return stream.iterator();
        }
        if (result instanceof Iterable<?> iterable) {
            return iterable.iterator();
        }
        return result == null ? Collections.emptyIterator() : List.of(result).iterator();
    }

    private static void closeQuietly(Object result) {
        if (result instanceof BaseStream<?, ?> stream) {
            stream.close();
        } else {
            Sessions.closeQuietly(result);
        }
    }
}
