package io.pyromesh.mesh.routing;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.pyromesh.errors.PyroError;
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.proto.v1.WatchRequest;
import io.pyromesh.proto.v1.WatchResponse;
import io.pyromesh.uri.PyroURI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Follows the name server's {@code Watch} into a {@link RegistrationCache}: a snapshot, the CURRENT
 * marker, then changes as they happen. When the watch ends (the name server restarted, moved, or the
 * connection broke) it finds the name server again and resumes from the last revision it applied,
 * after a pause that starts at {@value #FIRST_PAUSE_MILLIS} ms and doubles up to
 * {@value #LAST_PAUSE_MILLIS} ms; the cache serves what it knows meanwhile.
 */
final class NameWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NameWatch.class.getName());
    static final long FIRST_PAUSE_MILLIS = 100;
    static final long LAST_PAUSE_MILLIS = 5_000;

    private final Supplier<PyroURI> nameServers;
    private final ChannelPool channels;
    private final RegistrationCache cache;
    private final CompletableFuture<Void> firstCurrent = new CompletableFuture<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread watcher = new Thread(runnable, "pyromesh-name-watch");
        watcher.setDaemon(true);
        return watcher;
    });
    private volatile ClientCall<WatchRequest, WatchResponse> call;
    private volatile String nameServer = "";
    private volatile boolean closed;
    private long pauseMillis = FIRST_PAUSE_MILLIS;

    /** {@code nameServers} finds the name server (it may block: it runs on the watch's own thread). */
    NameWatch(Supplier<PyroURI> nameServers, ChannelPool channels, RegistrationCache cache) {
        this.nameServers = nameServers;
        this.channels = channels;
        this.cache = cache;
    }

    void start() {
        thread.execute(this::connect);
    }

    /** Completes when the cache first caught up with the name server. */
    CompletableFuture<Void> firstCurrent() {
        return firstCurrent;
    }

    /** The name server's {@code host:port}, once found. */
    String nameServer() {
        return nameServer;
    }

    private void connect() {
        if (closed) {
            return;
        }
        PyroURI located;
        try {
            located = nameServers.get();
        } catch (PyroError notFound) {
            cache.lost("cannot find the name server: " + notFound.getMessage());
            retryLater();
            return;
        }
        nameServer = located.location();
        WatchRequest.Builder request = WatchRequest.newBuilder();
        if (!cache.historyId().isEmpty()) {
            request.setSinceRevision(cache.revision()).setHistoryId(cache.historyId());
        }
        ClientCall<WatchRequest, WatchResponse> watch = channels.channel(located.grpcTarget())
                .newCall(NameServerGrpc.getWatchMethod(), CallOptions.DEFAULT);
        call = watch;
        watch.start(new ClientCall.Listener<>() {
            @Override
            public void onMessage(WatchResponse message) {
                handle(message);
                watch.request(1);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                ended(status);
            }
        }, new Metadata());
        watch.sendMessage(request.build());
        watch.halfClose();
        watch.request(1);
        cache.connected();
        if (closed) {
            watch.cancel("the router is closing", null);
        }
    }

    private void handle(WatchResponse message) {
        switch (message.getKind()) {
            case RESET -> cache.reset();
            case SNAPSHOT, CHANGES -> cache.apply(message.getEventsList(), message.getRevision(), message.getHistoryId());
            case CURRENT -> {
                cache.current(message.getRevision(), message.getHistoryId());
                synchronized (this) {
                    pauseMillis = FIRST_PAUSE_MILLIS;
                }
                firstCurrent.complete(null);
            }
            default -> LOG.fine(() -> "ignoring a watch message of kind " + message.getKind());
        }
    }

    private void ended(Status status) {
        if (closed) {
            return;
        }
        String why = status.getCode() == Status.Code.UNIMPLEMENTED
                ? "the name server at " + nameServer + " has no Watch: it is older than this hop"
                : "the watch of the name server at " + nameServer + " ended: " + status.getCode()
                        + (status.getDescription() == null ? "" : " " + status.getDescription());
        LOG.log(status.getCode() == Status.Code.UNIMPLEMENTED ? Level.SEVERE : Level.INFO, why);
        cache.lost(why);
        retryLater();
    }

    private synchronized void retryLater() {
        if (closed) {
            return;
        }
        long pause = pauseMillis;
        pauseMillis = Math.min(LAST_PAUSE_MILLIS, pauseMillis * 2);
        thread.schedule(this::connect, pause, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        ClientCall<WatchRequest, WatchResponse> watch = call;
        if (watch != null) {
            watch.cancel("the router is closing", null);
        }
        thread.shutdownNow();
    }
}
