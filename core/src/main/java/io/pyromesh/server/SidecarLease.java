package io.pyromesh.server;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.pyromesh.proto.v1.AppMessage;
import io.pyromesh.proto.v1.AttachRequest;
import io.pyromesh.proto.v1.AttachedObject;
import io.pyromesh.proto.v1.Attached;
import io.pyromesh.proto.v1.Endpoint;
import io.pyromesh.proto.v1.ObjectsUpdate;
import io.pyromesh.proto.v1.SidecarGrpc;
import io.pyromesh.proto.v1.SidecarMessage;
import io.pyromesh.proto.v1.Updated;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code Attach} stream of sidecar.proto as a daemon holds it: attaches the objects it is given,
 * keeps the sidecar told of changes, and, whenever the stream ends while the daemon lives (the
 * sidecar is not up yet, restarted, or refused the attach), attaches again after a backoff that
 * doubles from 0.1 s up to 5 s. Nothing is attached while there is nothing to attach.
 */
final class SidecarLease {
    private static final Logger LOG = Logger.getLogger(SidecarLease.class.getName());
    static final Duration FIRST_RETRY = Duration.ofMillis(100);
    static final Duration LONGEST_RETRY = Duration.ofSeconds(5);
    /** The sidecar asks the app's endpoint about every object before it answers; this bounds the wait. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    /** How long closing waits for the sidecar to confirm that the names are gone. */
    private static final Duration GOODBYE_TIMEOUT = Duration.ofSeconds(2);

    private final String address;
    private final ManagedChannel channel;
    private final String app;
    private final Endpoint endpoint;
    private final ScheduledExecutorService timer;
    private final Listener listener;

    // all guarded by this
    private final Map<String, AttachedObject> wanted = new LinkedHashMap<>();
    private Map<String, AttachedObject> told = new LinkedHashMap<>();
    private Session session;
    private ScheduledFuture<?> retry;
    private int failures;
    private long updates;
    /** The last update the sidecar answered: when it is the last one sent, the sidecar knows all. */
    private long answered;
    /** Updates sent and not answered yet, so that a refused one can be sent again later. */
    private final Map<Long, ObjectsUpdate> unanswered = new HashMap<>();
    private ScheduledFuture<?> resend;
    private int refusals;
    private boolean closed;

    SidecarLease(String address, ManagedChannel channel, String app, Endpoint endpoint, ScheduledExecutorService timer,
            Listener listener) {
        this.address = address;
        this.channel = channel;
        this.app = app;
        this.endpoint = endpoint;
        this.timer = timer;
        this.listener = listener;
    }

    /** Attaches {@code object}, or changes its name and tags if its id is attached already. */
    synchronized void put(AttachedObject object) {
        wanted.put(object.getId(), object);
        changed();
    }

    /** The object attached under {@code id}, or null. */
    synchronized AttachedObject get(String id) {
        return wanted.get(id);
    }

    synchronized void remove(String id) {
        if (wanted.remove(id) != null) {
            changed();
        }
    }

    private void changed() {
        if (closed) {
            return;
        }
        if (session == null) {
            if (retry == null && !wanted.isEmpty()) {
                retry = timer.schedule(this::attach, 0, TimeUnit.MILLISECONDS);
            }
        } else if (session.attached) {
            tellChanges();
        }
        // out of sync until the sidecar answers, so that waiting for it waits for this change too
        listener.synced(inSync());
    }

    private synchronized void attach() {
        retry = null;
        if (closed || session != null || wanted.isEmpty()) {
            return;
        }
        // the channel backs off reconnecting by itself, for up to two minutes; our own backoff decides
        channel.resetConnectBackoff();
        session = new Session();
        told = new LinkedHashMap<>(wanted);
        session.start(AttachRequest.newBuilder().setApp(app).setEndpoint(endpoint).addAllObjects(told.values()).build());
    }

    /** Sends what changed since the sidecar was last told, as one update. */
    private void tellChanges() {
        ObjectsUpdate.Builder update = ObjectsUpdate.newBuilder();
        wanted.forEach((id, object) -> {
            if (!object.equals(told.get(id))) {
                update.addPut(object);
            }
        });
        told.keySet().stream().filter(id -> !wanted.containsKey(id)).forEach(update::addRemove);
        if (update.getPutCount() + update.getRemoveCount() == 0) {
            return;
        }
        told = new LinkedHashMap<>(wanted);
        ObjectsUpdate sent = update.setUpdateId(++updates).build();
        unanswered.put(sent.getUpdateId(), sent);
        session.send(AppMessage.newBuilder().setUpdate(sent).build());
    }

    private synchronized void attached(Session which, Attached attached) {
        if (which != session) {
            return;
        }
        which.attached = true;
        which.answerTimer.cancel(false);
        if (failures > 0) {
            LOG.info(() -> "attached to the sidecar at " + address + " after " + failures + " failed attempts");
        }
        failures = 0;
        LOG.info(() -> "attached " + attached.getObjectsCount() + " objects to the sidecar at " + address + " ("
                + attached.getLeaseId() + "), reachable at " + attached.getSidecarAddress());
        answered = updates;
        tellChanges();
        listener.attached(attached, inSync());
    }

    private synchronized void updated(Session which, Updated updated) {
        if (which != session) {
            return;
        }
        answered = Math.max(answered, updated.getUpdateId());
        ObjectsUpdate sent = unanswered.remove(updated.getUpdateId());
        if (updated.getCode() == 0) {
            refusals = 0;
        } else if (sent != null) {
            refused(sent, updated);
        }
        listener.synced(inSync());
    }

    /**
     * The sidecar applied nothing of {@code sent} (a name taken elsewhere, say): what it changed is no
     * longer taken as told, and is sent again after a backoff, until the sidecar takes it.
     */
    private void refused(ObjectsUpdate sent, Updated answer) {
        String why = Status.fromCodeValue(answer.getCode()).getCode() + ": " + answer.getMessage();
        if (refusals++ == 0) {
            LOG.warning(() -> "the sidecar at " + address + " refused a change of the attached objects (" + why
                    + "); trying again every " + LONGEST_RETRY.toSeconds() + " s at most");
        } else {
            LOG.info(() -> "the sidecar at " + address + " still refuses a change of the attached objects (" + why + ")");
        }
        for (AttachedObject put : sent.getPutList()) {
            told.remove(put.getId(), put);
        }
        for (String removed : sent.getRemoveList()) {
            told.putIfAbsent(removed, AttachedObject.newBuilder().setId(removed).build());
        }
        if (resend == null || resend.isDone()) {
            resend = timer.schedule(this::resendChanges, backoff(refusals).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void resendChanges() {
        if (session != null && session.attached) {
            tellChanges();
        }
    }

    private synchronized void ended(Session which, Status status) {
        if (which != session) {
            return;
        }
        session = null;
        which.answerTimer.cancel(false);
        unanswered.clear();
        if (which.attached) {
            listener.detached();
        }
        if (closed) {
            notifyAll();
            return;
        }
        String reason = describe(status);
        if (which.attached) {
            failures = 0;
            LOG.warning(() -> "the lease at the sidecar at " + address + " ended (" + reason + "); attaching again");
        } else if (failures == 0) {
            LOG.warning(() -> "cannot attach to the sidecar at " + address + " (" + reason
                    + "); waiting for it, trying again every " + LONGEST_RETRY.toSeconds() + " s at most");
        } else {
            int attempt = failures + 1;
            LOG.info(() -> "still waiting for the sidecar at " + address + " (attempt " + attempt + ": " + reason + ")");
        }
        long delay = backoff(which.attached ? 0 : ++failures).toMillis();
        retry = timer.schedule(this::attach, delay, TimeUnit.MILLISECONDS);
    }

    /** Whether the sidecar has attached everything and answered every change sent since. */
    private boolean inSync() {
        return session != null && session.attached && answered == updates && told.equals(wanted);
    }

    /** What the daemon's attachment hears of the lease; called with the lease's lock held. */
    interface Listener {
        /** The sidecar attached the objects; {@code inSync}: and knows of every change since. */
        void attached(Attached attached, boolean inSync);

        /** The sidecar answered a change. */
        void synced(boolean inSync);

        /** The lease ended. */
        void detached();
    }

    /** The wait before attempt {@code failures + 1}: doubling from {@link #FIRST_RETRY}, at most {@link #LONGEST_RETRY}, with jitter. */
    static Duration backoff(int failures) {
        if (failures == 0) {
            return Duration.ZERO;
        }
        long doubled = FIRST_RETRY.toMillis() << Math.min(failures - 1, 16);
        long capped = Math.min(doubled, LONGEST_RETRY.toMillis());
        // up to a fifth less, so that the apps of a restarted sidecar do not all come back at once
        return Duration.ofMillis(capped - ThreadLocalRandom.current().nextLong(capped / 5 + 1));
    }

    private static String describe(Status status) {
        String description = status.getDescription();
        if (status.getCause() != null && status.getCause().getMessage() != null) {
            description = status.getCause().getMessage();
        }
        return status.getCode() + (description == null ? "" : ": " + description);
    }

    /** Ends the lease (the sidecar then removes the names at once) and stops attaching. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (retry != null) {
                retry.cancel(false);
            }
            if (resend != null) {
                resend.cancel(false);
            }
            if (session == null) {
                return;
            }
            session.finish();
            long deadline = System.nanoTime() + GOODBYE_TIMEOUT.toNanos();
            try {
                while (session != null && System.nanoTime() < deadline) {
                    TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (session != null) {
                session.cancel("the daemon is shutting down");
            }
        }
    }

    /** One attempt: one Attach stream. */
    private final class Session implements ClientResponseObserver<AppMessage, SidecarMessage> {
        private ClientCallStreamObserver<AppMessage> requests;
        private ScheduledFuture<?> answerTimer;
        private boolean cancelled;
        boolean attached;

        void start(AttachRequest request) {
            SidecarGrpc.newStub(channel).attach(this);
            answerTimer = timer.schedule(() -> {
                synchronized (SidecarLease.this) {
                    cancel("the sidecar did not answer within " + ANSWER_TIMEOUT.toSeconds() + " s");
                }
            }, ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            send(AppMessage.newBuilder().setAttach(request).build());
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<AppMessage> requestStream) {
            this.requests = requestStream;
        }

        void send(AppMessage message) {
            if (!cancelled) {
                requests.onNext(message);
            }
        }

        void finish() {
            if (!cancelled) {
                requests.onCompleted();
            }
        }

        void cancel(String why) {
            if (!cancelled) {
                cancelled = true;
                requests.cancel(why, null);
            }
        }

        @Override
        public void onNext(SidecarMessage message) {
            if (message.hasAttached()) {
                attached(this, message.getAttached());
            } else if (message.hasUpdated()) {
                updated(this, message.getUpdated());
            }
        }

        @Override
        public void onError(Throwable failure) {
            if (LOG.isLoggable(Level.FINE)) {
                LOG.log(Level.FINE, "attach stream to " + address + " failed", failure);
            }
            ended(this, Status.fromThrowable(failure));
        }

        @Override
        public void onCompleted() {
            ended(this, Status.UNAVAILABLE.withDescription("the sidecar ended the lease"));
        }
    }
}
