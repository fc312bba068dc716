package io.pyromesh.sidecar;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ConnectivityState;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.DaemonError;
import io.pyromesh.errors.MessageTooLargeError;
import io.pyromesh.proto.v1.AppMessage;
import io.pyromesh.proto.v1.AttachRequest;
import io.pyromesh.proto.v1.Attached;
import io.pyromesh.proto.v1.AttachedObject;
import io.pyromesh.proto.v1.ObjectsUpdate;
import io.pyromesh.proto.v1.PublishedObject;
import io.pyromesh.proto.v1.SidecarMessage;
import io.pyromesh.proto.v1.Updated;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One app's {@code Attach} stream, from its AttachRequest to its end: the lease of sidecar.proto. Its
 * end, however it comes (the app ends it, dies, its connection breaks, its endpoint stops answering, or
 * the sidecar shuts down), detaches the app at once: its objects stop being routed, its channel is shut
 * down, and its names are removed from the name server.
 */
final class LeaseStream implements StreamObserver<AppMessage> {
    private static final Logger LOG = Logger.getLogger(LeaseStream.class.getName());

    private final AttachService service;
    private final ServerCallStreamObserver<SidecarMessage> responses;
    private final Executor serial;
    /** Null until the AttachRequest came; guarded by this. */
    private AttachedApp app;
    private boolean ended;
    private final ScheduledFuture<?> firstMessageDeadline;

    LeaseStream(AttachService service, ServerCallStreamObserver<SidecarMessage> responses) {
        this.service = service;
        this.responses = responses;
        this.serial = MoreExecutors.newSequentialExecutor(service.worker());
        // the end of the call reaches onError as well; without a handler, answering a cancelled call throws
        responses.setOnCancelHandler(() -> { });
        Duration timeout = service.firstMessageTimeout();
        this.firstMessageDeadline = service.timer().schedule(() -> endBySidecar(AttachRules.malformed(
                "no AttachRequest within " + timeout.toMillis() / 1000.0 + " s of opening the Attach stream")),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Messages are handled in order, off the transport's thread: an attach waits for the app's endpoint
     * and the name server.
     */
    @Override
    public void onNext(AppMessage message) {
        serial.execute(() -> handle(message));
    }

    private void handle(AppMessage message) {
        firstMessageDeadline.cancel(false);
        try {
            int size = message.getSerializedSize();
            int limit = service.config().maxMessageSize();
            if (size > limit) {
                // the transport lets a little more through (as on every hop), so that this is said with its reason
                throw new Refusal(Status.Code.RESOURCE_EXHAUSTED, new MessageTooLargeError("message too large (" + size + ", max=" + limit + ")"));
            }
            if (message.hasAttach()) {
                attach(message.getAttach());
            } else if (message.hasUpdate()) {
                update(message.getUpdate());
            } else {
                throw AttachRules.malformed("a message on the Attach stream must be an AttachRequest or an ObjectsUpdate");
            }
        } catch (Refusal refused) {
            end(refused.toStatus(service.hop()).getStatus(), refused);
        }
    }

    private void attach(AttachRequest request) {
        synchronized (this) {
            if (app != null || ended) {
                throw AttachRules.malformed("an Attach stream carries one AttachRequest, as its first message");
            }
            if (service.draining()) {
                throw shuttingDown();
            }
            app = new AttachedApp(service.nextLeaseId(), request.getApp(), AttachRules.check(request), service.config());
        }
        if (!service.startAttach()) {
            throw new Refusal(Status.Code.RESOURCE_EXHAUSTED, new DaemonError(AttachService.MAX_ATTACHES_UNDER_WAY
                    + " attaches are being checked already; attach again later"));
        }
        AttachedApps.NameChanges names;
        try {
            names = service.apps().attach(app, request.getObjectsList());
            EndpointProbe.check(app, request.getObjectsList().stream().map(AttachedObject::getId).toList());
            service.registrar().register(service.namesOf(names.registered()));
        } finally {
            service.attachChecked();
        }
        if (service.draining()) {
            // the sidecar began shutting down while this was checked: its names must go with the others
            throw shuttingDown();
        }
        app.goLive();
        watchConnection(ConnectivityState.READY);
        Attached.Builder attached = Attached.newBuilder().setLeaseId(app.leaseId).setSidecarAddress(service.publicLocation());
        request.getObjectsList().forEach(object -> attached.addObjects(published(object)));
        send(SidecarMessage.newBuilder().setAttached(attached).build());
        service.attached(this);
        LOG.info(() -> "attached " + app + ": " + request.getObjectsCount() + " objects, " + names.registered().size() + " names");
    }

    private void update(ObjectsUpdate update) {
        AttachedApp attachedApp;
        synchronized (this) {
            attachedApp = app;
        }
        if (attachedApp == null || !attachedApp.isLive()) {
            throw AttachRules.malformed("the first message on an Attach stream must be an AttachRequest");
        }
        Updated.Builder answer = Updated.newBuilder().setUpdateId(update.getUpdateId());
        Map<String, AttachedObject> before = service.apps().snapshot(attachedApp);
        try {
            if (service.draining()) {
                throw shuttingDown();
            }
            AttachRules.checkObjects(update.getPutList(), before.size());
            update.getRemoveList().forEach(AttachRules::checkId);
            List<String> newIds = update.getPutList().stream().map(AttachedObject::getId).filter(id -> !before.containsKey(id)).toList();
            EndpointProbe.check(attachedApp, newIds);
            AttachedApps.NameChanges names = service.apps().update(attachedApp, update.getPutList(), update.getRemoveList());
            try {
                service.registrar().register(service.namesOf(names.registered()));
            } catch (Refusal refused) {
                service.apps().restore(attachedApp, before);
                throw refused;
            }
            service.registrar().unregister(names.unregistered().stream().map(service.registrar()::held).filter(Objects::nonNull).toList());
            update.getPutList().forEach(object -> answer.addObjects(published(object)));
        } catch (Refusal refused) {
            answer.setCode(refused.code.value()).setMessage(refused.getMessage());
        }
        send(SidecarMessage.newBuilder().setUpdated(answer).build());
    }

    private static Refusal shuttingDown() {
        return new Refusal(Status.Code.UNAVAILABLE, new CommunicationError("the sidecar is shutting down"));
    }

    private PublishedObject published(AttachedObject object) {
        return PublishedObject.newBuilder().setId(object.getId()).setUri(service.registrar().uriFor(object.getId())).build();
    }

    /**
     * The channel to the app went to READY when the endpoint answered the probe; if it ever leaves
     * READY, the endpoint closed its connection (the app died or stopped serving), which ends the lease
     * even before the Attach stream's own end is noticed.
     */
    private void watchConnection(ConnectivityState seen) {
        app.channel.notifyWhenStateChanged(seen, () -> {
            ConnectivityState now = app.channel.getState(false);
            if (now == ConnectivityState.SHUTDOWN) {
                return;
            }
            if (seen == ConnectivityState.READY && now != ConnectivityState.READY) {
                endBySidecar(Status.UNAVAILABLE.withDescription("the connection to the app's endpoint " + app.where() + " was lost"));
            } else {
                watchConnection(now);
            }
        });
    }

    /** The sidecar ends the lease (shutting down, or the app's endpoint went away), after what is under way on it. */
    void endBySidecar(Status status) {
        serial.execute(() -> end(status, null));
    }

    private void endBySidecar(Refusal refusal) {
        serial.execute(() -> end(refusal.toStatus(service.hop()).getStatus(), refusal));
    }

    @Override
    public void onError(Throwable failure) {
        serial.execute(() -> end(null, failure));
    }

    @Override
    public void onCompleted() {
        serial.execute(() -> end(Status.OK, null));
    }

    /** Detaches the app once; {@code answer} is how the stream ends on our side (null: it has ended already). */
    private void end(Status answer, Throwable why) {
        AttachedApp ending;
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            ending = app;
        }
        firstMessageDeadline.cancel(false);
        service.closed();
        if (ending != null) {
            List<String> names = service.apps().detach(ending);
            ending.end();
            service.registrar().unregister(names.stream().map(service.registrar()::held).filter(Objects::nonNull).toList());
            service.detached(this);
            LOG.log(answer == null ? Level.INFO : Level.FINE, () -> "the lease of " + ending + " ended"
                    + (why == null ? "" : " (" + Status.fromThrowable(why).getCode() + ")") + "; removed " + names.size() + " names");
        }
        if (answer != null) {
            close(answer, why);
        }
    }

    private synchronized void close(Status answer, Throwable why) {
        try {
            if (answer.isOk()) {
                responses.onCompleted();
            } else {
                responses.onError(why instanceof Refusal refused ? refused.toStatus(service.hop()) : answer.asRuntimeException());
            }
        } catch (IllegalStateException alreadyClosed) {
            // the app's side closed the call first: nobody is left to tell
        }
    }

    private synchronized void send(SidecarMessage message) {
        if (!ended && !responses.isCancelled()) {
            responses.onNext(message);
        }
    }

    @Override
    public String toString() {
        AttachedApp known = app;
        return known == null ? "an unattached stream" : known.toString();
    }
}
