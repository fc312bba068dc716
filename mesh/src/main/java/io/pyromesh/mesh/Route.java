package io.pyromesh.mesh;

/**
 * Decides where a forwarded call goes: the one piece of logic a hop adds to the {@link Forwarder}. A
 * sidecar's inbound route maps an object id to the app that attached it; the gateway's and a sidecar's
 * outbound route resolve a URI through a {@link io.pyromesh.mesh.routing.Router}.
 *
 * <p>Called once per call, on a transport thread, before anything is sent on: it must not block
 * (look things up in memory, not over the network).
 */
@FunctionalInterface
public interface Route {
    /**
     * The target of {@code call}.
     *
     * @throws HopException to refuse the call with a status of the route's choice
     * @throws io.pyromesh.errors.PyroError to refuse it with the error's usual status (e.g.
     *     {@code NamingError} is NOT_FOUND); either way the caller's error names this hop
     */
    Target route(ForwardedCall call);
}
