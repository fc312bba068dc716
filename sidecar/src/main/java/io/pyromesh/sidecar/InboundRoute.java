package io.pyromesh.sidecar;

import io.grpc.Status;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.DaemonError;
import io.pyromesh.mesh.ForwardedCall;
import io.pyromesh.mesh.HopException;
import io.pyromesh.mesh.Route;
import io.pyromesh.mesh.Target;
import java.time.Duration;
import java.util.Locale;

/**
 * Where a call that reached the sidecar's public listener goes: to the app that attached its object
 * id. An id whose app has gone is UNAVAILABLE at once (so a gateway may fail over to another replica);
 * an id nobody attached is NOT_FOUND, as a daemon answers for an unknown object.
 */
final class InboundRoute implements Route {
    private final AttachedApps apps;

    InboundRoute(AttachedApps apps) {
        this.apps = apps;
    }

    @Override
    public Target route(ForwardedCall call) {
        String id = call.object();
        AttachedApp app = apps.route(id);
        if (app != null) {
            return Target.of(app.channel, id, app.toString());
        }
        AttachedApps.Departure departure = apps.departure(id);
        if (departure != null) {
            long ago = Duration.ofNanos(System.nanoTime() - departure.endedNanos()).toMillis();
            throw new HopException(Status.Code.UNAVAILABLE, new CommunicationError("the app that served '"
                    + AttachRules.abbreviated(id) + "' has gone: the lease of " + departure.app() + " ended "
                    + String.format(Locale.ROOT, "%.1f", ago / 1000.0) + " s ago"));
        }
        throw new HopException(Status.Code.NOT_FOUND, new DaemonError("unknown object: " + AttachRules.abbreviated(id)));
    }
}
