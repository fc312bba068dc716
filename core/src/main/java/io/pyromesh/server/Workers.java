package io.pyromesh.server;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run remote methods, and the bound on them. With {@code SERVERTYPE=thread} (the
 * default) at most {@code THREADPOOL_SIZE} calls run at once, and a call beyond that is refused at
 * once with "no free workers" rather than queued, as in Pyro; {@code THREADPOOL_SIZE_MIN} threads are
 * kept when idle. With {@code SERVERTYPE=multiplex} one thread runs every call in turn (oneway calls
 * and streams still get their own threads, as in Pyro).
 *
 * <p>A worker is a thread blocked in an object's code for a call. A method that returns a
 * {@code CompletionStage} takes none: it is expected only to start its work and return the stage, and
 * its call then waits holding no thread. {@code THREADPOOL_SIZE} does not bound such calls;
 * {@code MAX_PENDING_CALLS} does, from their arrival until their stage completes: beyond it, a call
 * to such a method is refused at once, before it runs.
 */
final class Workers {
    private final ExecutorService calls;
    private final ExecutorService background;
    private final Semaphore permits;
    private final int size;
    private final Semaphore pending;
    private final int maxPending;

    Workers(PyroConfig config, String name) {
        boolean multiplex = config.serverType() == PyroConfig.ServerType.MULTIPLEX;
        this.size = multiplex ? Integer.MAX_VALUE : config.threadpoolSize();
        this.permits = new Semaphore(size);
        this.maxPending = config.maxPendingCalls();
        this.pending = new Semaphore(maxPending);
        this.calls = multiplex
                ? Executors.newSingleThreadExecutor(threads(name + "-worker"))
                : new ThreadPoolExecutor(config.threadpoolSizeMin(), Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                        new SynchronousQueue<>(), threads(name + "-worker"));
        this.background = Executors.newCachedThreadPool(threads(name + "-background"));
    }

    /** Where the remote methods run (handed over by Invoker's callbacks), and every callback of a daemon's other services. */
    ExecutorService callExecutor() {
        return calls;
    }

    /** A worker for one call, released when the call is done. */
    Permit acquire() {
        if (!permits.tryAcquire()) {
            throw new Overloaded("no free workers, increase server threadpool size (THREADPOOL_SIZE=" + size + ")");
        }
        return new Permit(permits);
    }

    /** Room for one call to a method returning a stage, released when the stage has completed. */
    Permit acquirePending() {
        if (!pending.tryAcquire()) {
            throw new Overloaded("too many pending calls, increase MAX_PENDING_CALLS (" + maxPending + ")");
        }
        return new Permit(pending);
    }

    /**
     * Where short reactions to a call's end run (cancelling a pending stage), off gRPC's own threads;
     * on the calling thread once the daemon has shut down.
     */
    Executor reactions() {
        return task -> {
            try {
                background.execute(task);
            } catch (RejectedExecutionException shutDown) {
                task.run();
            }
        };
    }

    /** Runs a task (a oneway call, a stream) on its own thread, holding a worker until it ends. */
    void runInBackground(Permit permit, Runnable task) {
        background.execute(() -> {
            try {
                task.run();
            } finally {
                permit.close();
            }
        });
    }

    void shutdownNow() {
        calls.shutdownNow();
        background.shutdownNow();
    }

    void shutdown(long timeout, TimeUnit unit) throws InterruptedException {
        calls.shutdown();
        background.shutdown();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        if (!calls.awaitTermination(timeout, unit)) {
            calls.shutdownNow();
        }
        if (!background.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            background.shutdownNow();
        }
    }

    /** All workers are busy, or too many calls pending: a CommunicationError that travels as RESOURCE_EXHAUSTED, not UNAVAILABLE. */
    static final class Overloaded extends CommunicationError {
        private static final long serialVersionUID = 1L;

        Overloaded(String message) {
            super(message);
        }

        @Override
        public String pyroName() {
            return "CommunicationError";
        }
    }

    /** One held worker, or room for a pending call; closing it twice releases it once. */
    static final class Permit implements AutoCloseable {
        private final Semaphore from;
        private boolean released;

        private Permit(Semaphore from) {
            this.from = from;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                from.release();
            }
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
