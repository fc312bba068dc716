package io.pyromesh.client;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.pyromesh.errors.RemoteException;
import io.pyromesh.errors.TimeoutError;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.Value;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One subscription to a streamed result ({@link Proxy#streamAsync}): one {@code InvokeStream} call
 * whose flow control is the subscriber's demand. gRPC is asked for an item only when the subscriber
 * has requested one, so items the subscriber has not asked for stay in the transport's window and,
 * once that is full, on the daemon, whose generator is then not advanced. The proxy's timeout bounds
 * the wait for each requested item, as it does for a blocking stream.
 *
 * <p>Signals come on gRPC's threads, one at a time, never while this object's lock is held. Every
 * end of a started call (its items ran out, the daemon failed it, a timeout, a bad request(n))
 * arrives through the call's close, so that ends cannot race each other.
 */
final class RemoteSubscription<T> extends ClientCall.Listener<InvokeResponse> implements Flow.Subscription {
    /** The most items asked of gRPC at once; more demand is asked for as items arrive. */
    private static final int MAX_ASKED = 1024;

    private final Flow.Subscriber<? super T> subscriber;
    private final Function<Value, T> decode;
    private final BiFunction<Status, Metadata, RuntimeException> failure;
    private final Duration timeout;
    // guarded by this
    private ClientCall<InvokeRequest, InvokeResponse> call;
    private long demand;
    private int asked;
    private boolean done;
    private IllegalArgumentException refused;
    private ScheduledFuture<?> timer;
    /** Counts the timers armed, so that a timer that fired as it was disarmed knows it is stale. */
    private long timers;

    /**
     * @param failure what a call that closed with this status stands for (a Pyro error)
     */
    RemoteSubscription(Flow.Subscriber<? super T> subscriber, Function<Value, T> decode,
            BiFunction<Status, Metadata, RuntimeException> failure, Duration timeout) {
        this.subscriber = subscriber;
        this.decode = decode;
        this.failure = failure;
        this.timeout = timeout;
    }

    /** Starts the call, unless the subscriber cancelled (or broke the rules) meanwhile. */
    void start(ClientCall<InvokeRequest, InvokeResponse> newCall, InvokeRequest request) {
        IllegalArgumentException early;
        synchronized (this) {
            if (done) {
                return;
            }
            early = refused;
            if (early == null) {
                call = newCall;
                newCall.start(this, new Metadata());
                newCall.sendMessage(request);
                newCall.halfClose();
                askMore();
                return;
            }
            done = true;
        }
        subscriber.onError(early);
    }

    /** Ends the subscription before its call started (binding failed, the request was refused). */
    void fail(Throwable error) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
        }
        subscriber.onError(error);
    }

    @Override
    public void request(long n) {
        synchronized (this) {
            if (done) {
                return;
            }
            if (n <= 0) {
                IllegalArgumentException illegal = new IllegalArgumentException("request(" + n
                        + "): a subscriber must request a positive number of items (Reactive Streams rule 3.9)");
                if (call == null) {
                    refused = illegal;
                } else {
                    call.cancel("illegal request", illegal);
                }
                return;
            }
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            askMore();
        }
    }

    @Override
    public void cancel() {
        ClientCall<InvokeRequest, InvokeResponse> started;
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            disarm();
            started = call;
        }
        if (started != null) {
            started.cancel("cancelled by the subscriber", null);
        }
    }

    @Override
    public void onMessage(InvokeResponse response) {
        RuntimeException error = null;
        T item = null;
        synchronized (this) {
            if (done) {
                return;
            }
            asked--;
            if (demand != Long.MAX_VALUE) {
                demand--;
            }
            disarm();
            if (response.hasError()) {
                error = RemoteException.raised(response.getError());
            } else {
                try {
                    item = decode.apply(response.getResult());
                } catch (RuntimeException undecodable) {
                    error = undecodable;
                }
            }
            if (error != null) {
                done = true;
                call.cancel(response.hasError() ? "stream ended by a remote exception" : "stream item not decodable", null);
            } else {
                askMore();
            }
        }
        if (error != null) {
            subscriber.onError(error);
        } else {
            subscriber.onNext(item);
        }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
            disarm();
        }
        if (status.isOk()) {
            subscriber.onComplete();
        } else if (status.getCause() instanceof IllegalArgumentException || status.getCause() instanceof TimeoutError) {
            subscriber.onError(status.getCause()); // our own reasons for cancelling
        } else {
            subscriber.onError(failure.apply(status, trailers));
        }
    }

    /** Asks gRPC for as many items as the subscriber wants (up to {@link #MAX_ASKED} at once); guarded. */
    private void askMore() {
        if (call == null) {
            return;
        }
        int wanted = (int) Math.min(demand, MAX_ASKED);
        if (wanted > asked) {
            call.request(wanted - asked);
            asked = wanted;
        }
        if (asked > 0 && timer == null && !timeout.isZero()) {
            long armed = ++timers;
            timer = Timers.SCHEDULER.schedule(() -> timedOut(armed), timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void disarm() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void timedOut(long armed) {
        ClientCall<InvokeRequest, InvokeResponse> started;
        synchronized (this) {
            if (done || timer == null || armed != timers) {
                return;
            }
            started = call;
        }
        started.cancel("timeout", new TimeoutError("receiving: timeout (no stream item within "
                + timeout.toMillis() / 1000.0 + " s)"));
    }

    /** One thread for the timeouts of every subscription of the process; idle unless a timeout is set. */
    private static final class Timers {
        static final ScheduledExecutorService SCHEDULER = scheduler();

        private static ScheduledExecutorService scheduler() {
            ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "pyromesh-stream-timeouts");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.setRemoveOnCancelPolicy(true);
            return scheduler;
        }
    }
}
