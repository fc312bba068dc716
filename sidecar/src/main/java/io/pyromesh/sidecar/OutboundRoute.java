package io.pyromesh.sidecar;

import io.pyromesh.mesh.ForwardedCall;
import io.pyromesh.mesh.Route;
import io.pyromesh.mesh.Target;
import io.pyromesh.mesh.routing.RoutedUri;
import io.pyromesh.mesh.routing.Router;

/**
 * Where a local app's outbound call goes: its {@code object} is a full URI ({@code PYRONAME:},
 * {@code PYROMETA:}, {@code PYRO:}), resolved and balanced by the same {@link Router} the gateway uses.
 */
final class OutboundRoute implements Route {
    private final Router router;

    OutboundRoute(Router router) {
        this.router = router;
    }

    @Override
    public Target route(ForwardedCall call) {
        return router.route(RoutedUri.parse(call.object(), "a sidecar's local listener"));
    }
}
