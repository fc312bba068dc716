package io.pyromesh.nameserver;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.pyromesh.errors.NamingError;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.proto.v1.WatchRequest;
import io.pyromesh.proto.v1.WatchResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open {@code Watch} streams of a name server: checks a watch's request, starts its {@link Watcher},
 * wakes every watcher when the {@link ChangeLog} grows, and ends them all at shutdown. A writer pays one
 * flag check per change; the watchers are woken on the watches' own threads, whose work never blocks.
 */
final class Watches implements AutoCloseable {
    static final int DEFAULT_MAX_WATCHES = 1024;

    private final NameRegistry registry;
    private final int maxWatches;
    private final Set<Watcher> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final ExecutorService pumps;

    Watches(NameRegistry registry, int maxWatches) {
        this.registry = registry;
        this.maxWatches = maxWatches;
        AtomicInteger threads = new AtomicInteger();
        this.pumps = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "pyro-ns-watch-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        registry.changes().onAppend(this::changed);
    }

    /** Starts a watch, or refuses it with a NamingError (see {@link NameServerService#codeFor}). */
    void start(WatchRequest request, ServerCallStreamObserver<WatchResponse> out) {
        if (pumps.isShutdown()) {
            throw new Refusal(Refusal.Kind.UNAVAILABLE, "the name server is shutting down");
        }
        long since = resumeFrom(request);
        if (request.getPrefix().length() > NameRegistry.MAX_NAME_LENGTH) {
            throw new NamingError("a watch prefix must be at most " + NameRegistry.MAX_NAME_LENGTH + " characters, not "
                    + request.getPrefix().length());
        }
        if (count.incrementAndGet() > maxWatches) {
            count.decrementAndGet();
            throw new Refusal(Refusal.Kind.TOO_BUSY, "too many watches open (at most " + maxWatches + ")");
        }
        Watcher watcher = new Watcher(out, registry, request.getPrefix(), since, pumps, ended -> {
            open.remove(ended);
            count.decrementAndGet();
        });
        open.add(watcher);
        watcher.wake();
    }

    /** The revision to resume after, or -1 for a snapshot. */
    private long resumeFrom(WatchRequest request) {
        long since = request.getSinceRevision();
        if (since < 0) {
            throw new NamingError("since_revision must not be negative, not " + since);
        }
        if (since == 0) {
            return -1;
        }
        if (request.getHistoryId().isEmpty()) {
            throw new NamingError("since_revision " + since + " needs the history_id of the watch it came from");
        }
        ChangeLog changes = registry.changes();
        if (!request.getHistoryId().equals(changes.historyId())) {
            return -1; // another run of the name server: its revisions mean nothing here
        }
        long now = changes.revision();
        if (since > now) {
            throw new NamingError("since_revision " + since + " is ahead of the name server's revision " + now);
        }
        return since;
    }

    /** How many watches are open. */
    int size() {
        return count.get();
    }

    private void changed() {
        // no watcher: nothing to wake, and a writer must not pay a thread hand-off for nobody
        if (open.isEmpty() || wakeQueued.getAndSet(true)) {
            return;
        }
        try {
            pumps.execute(() -> {
                wakeQueued.set(false);
                open.forEach(Watcher::wake);
            });
        } catch (RejectedExecutionException shuttingDown) {
            wakeQueued.set(false);
        }
    }

    /** Ends every watch with UNAVAILABLE, so that watchers know to watch again elsewhere or later. */
    @Override
    public void close() {
        open.forEach(watcher -> watcher.end(GrpcErrors.toStatus(
                new Refusal(Refusal.Kind.UNAVAILABLE, "the name server is shutting down"), Status.Code.UNAVAILABLE)));
        pumps.shutdown();
        try {
            if (!pumps.awaitTermination(2, TimeUnit.SECONDS)) {
                pumps.shutdownNow();
            }
        } catch (InterruptedException e) {
            pumps.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
