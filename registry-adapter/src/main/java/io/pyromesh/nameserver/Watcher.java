package io.pyromesh.nameserver;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.pyromesh.errors.PyroError;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.nameserver.ChangeLog.Change;
import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.proto.v1.WatchEvent;
import io.pyromesh.proto.v1.WatchResponse;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's {@code Watch}: a snapshot when it needs one, then the change log from its revision on,
 * sent only while gRPC says the client keeps up ({@link ServerCallStreamObserver#isReady()}), so a slow
 * client costs a cursor into the log, never a growing buffer. A client that fell behind the log gets a
 * fresh snapshot; {@link #MAX_RESETS_IN_A_ROW} of them without catching up in between end the watch.
 *
 * <p>Sending is a drain loop on the watches' executor: {@link #wake()} from any thread (a new change, the
 * stream becoming ready again) makes sure exactly one pump runs, and that it runs again if woken meanwhile.
 */
final class Watcher {
    static final int MAX_EVENTS_PER_MESSAGE = 1000;
    static final int MAX_BYTES_PER_MESSAGE = 256 * 1024;
    static final int MAX_RESETS_IN_A_ROW = 3;
    private static final Logger LOG = Logger.getLogger(Watcher.class.getName());

    private final ServerCallStreamObserver<WatchResponse> out;
    private final NameRegistry registry;
    private final String prefix;
    private final Executor executor;
    private final Consumer<Watcher> onEnd;
    private final AtomicInteger wanted = new AtomicInteger();
    /** Set by {@link #end}: the status to finish with, sent by the pump. */
    private volatile StatusRuntimeException ending;
    private final AtomicBoolean done = new AtomicBoolean();

    // the pump's own state, touched only inside the drain loop
    private long cursor;
    private boolean resetNeeded;
    private Iterator<Registration> snapshot;
    private long snapshotRevision;
    private boolean current;
    private int resetsInARow;

    /**
     * @param since the revision the client has, or -1 if it needs a snapshot
     * @param onEnd called once when the watch ends, however it ends
     */
    Watcher(ServerCallStreamObserver<WatchResponse> out, NameRegistry registry, String prefix, long since,
            Executor executor, Consumer<Watcher> onEnd) {
        this.out = out;
        this.registry = registry;
        this.prefix = prefix;
        this.executor = executor;
        this.onEnd = onEnd;
        this.cursor = Math.max(0, since);
        this.resetNeeded = since < 0;
        out.setOnCancelHandler(this::cancelled);
        out.setOnReadyHandler(this::wake);
    }

    /** There may be something to send: makes sure the pump runs (now or once more). */
    void wake() {
        if (wanted.getAndIncrement() == 0) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException shuttingDown) {
                wanted.set(0);
            }
        }
    }

    /** Ends the watch with {@code status} (the name server shutting down), from any thread. */
    void end(StatusRuntimeException status) {
        ending = status;
        wake();
    }

    private void drain() {
        int missed = 1;
        do {
            try {
                pump();
            } catch (PyroError refused) {
                finish(GrpcErrors.toStatus(refused, NameServerService.codeFor(refused))); // e.g. the store failed
            } catch (RuntimeException failed) {
                LOG.log(Level.WARNING, "a watch failed", failed);
                finish(Status.INTERNAL.withDescription("the watch failed: " + failed).asRuntimeException());
            }
            missed = wanted.addAndGet(-missed);
        } while (missed != 0);
    }

    private void pump() {
        while (!done.get()) {
            if (ending != null) {
                finish(ending);
                return;
            }
            if (!out.isReady()) {
                return; // the ready handler wakes us when the client has read enough
            }
            if (snapshot != null) {
                sendSnapshotPart();
            } else if (resetNeeded) {
                startSnapshot();
            } else if (!sendChanges()) {
                return;
            }
        }
    }

    private void startSnapshot() {
        NameRegistry.Snapshot taken = registry.snapshot(prefix);
        resetNeeded = false;
        current = false;
        snapshot = taken.registrations().iterator();
        snapshotRevision = taken.revision();
        out.onNext(response(WatchResponse.Kind.RESET, snapshotRevision).build());
    }

    private void sendSnapshotPart() {
        WatchResponse.Builder part = response(WatchResponse.Kind.SNAPSHOT, snapshotRevision);
        int bytes = 0;
        while (snapshot.hasNext() && part.getEventsCount() < MAX_EVENTS_PER_MESSAGE && bytes < MAX_BYTES_PER_MESSAGE) {
            WatchEvent event = put(snapshot.next(), WatchEvent.Cause.CAUSE_UNSPECIFIED, snapshotRevision);
            part.addEvents(event);
            bytes += event.getSerializedSize();
        }
        if (!snapshot.hasNext()) {
            snapshot = null;
            cursor = snapshotRevision;
        }
        if (part.getEventsCount() > 0) {
            out.onNext(part.build());
        }
    }

    /** Sends the next changes, or the CURRENT marker once caught up; false when there is nothing to send. */
    private boolean sendChanges() {
        List<Change> next = registry.changes().after(cursor, MAX_EVENTS_PER_MESSAGE);
        if (next == null) {
            if (++resetsInARow > MAX_RESETS_IN_A_ROW) {
                finish(GrpcErrors.toStatus(new Refusal(Refusal.Kind.TOO_BUSY, "this watch fell behind the name server's change log "
                        + MAX_RESETS_IN_A_ROW + " times in a row: it reads too slowly to keep up"), Status.Code.RESOURCE_EXHAUSTED));
                return false;
            }
            resetNeeded = true;
            return true;
        }
        if (next.isEmpty()) {
            if (!current) {
                current = true;
                resetsInARow = 0;
                out.onNext(response(WatchResponse.Kind.CURRENT, cursor).build());
            }
            return false;
        }
        WatchResponse.Builder changes = response(WatchResponse.Kind.CHANGES, next.get(next.size() - 1).revision());
        int bytes = 0;
        for (Change change : next) {
            if (bytes >= MAX_BYTES_PER_MESSAGE) {
                break;
            }
            cursor = change.revision();
            if (change.name().startsWith(prefix)) {
                WatchEvent event = event(change);
                changes.addEvents(event);
                bytes += event.getSerializedSize();
            }
        }
        if (changes.getEventsCount() > 0) {
            out.onNext(changes.setRevision(cursor).build());
        }
        return true;
    }

    private WatchEvent event(Change change) {
        WatchEvent.Cause cause = switch (change.cause()) {
            case CLIENT -> WatchEvent.Cause.CLIENT;
            case LEASE_EXPIRED -> WatchEvent.Cause.LEASE_EXPIRED;
            case AUTOCLEAN -> WatchEvent.Cause.AUTOCLEAN;
            case EXTERNAL -> WatchEvent.Cause.EXTERNAL;
        };
        if (change.current() == null) {
            return WatchEvent.newBuilder().setType(WatchEvent.Type.REMOVED).setName(change.name()).setCause(cause)
                    .setRevision(change.revision()).build();
        }
        return put(change.current(), cause, change.revision());
    }

    private WatchEvent put(Registration registration, WatchEvent.Cause cause, long revision) {
        return WatchEvent.newBuilder().setType(WatchEvent.Type.PUT).setName(registration.name())
                .setRegistration(RegistrationMessages.of(registration, true, registry.leaseRemaining(registration)))
                .setCause(cause).setRevision(revision).build();
    }

    private WatchResponse.Builder response(WatchResponse.Kind kind, long revision) {
        return WatchResponse.newBuilder().setKind(kind).setRevision(revision).setHistoryId(registry.changes().historyId());
    }

    private void finish(StatusRuntimeException status) {
        if (done.getAndSet(true)) {
            return;
        }
        snapshot = null;
        try {
            out.onError(status);
        } catch (IllegalStateException alreadyClosed) {
            // the client went away meanwhile
        }
        onEnd.accept(this);
    }

    private void cancelled() {
        if (!done.getAndSet(true)) {
            onEnd.accept(this);
        }
    }
}
