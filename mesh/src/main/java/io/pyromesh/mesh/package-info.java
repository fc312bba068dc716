/**
 * What every mesh hop (sidecar, gateway) shares. Forwarding calls without decoding them:
 * {@link io.pyromesh.mesh.Forwarder} serves {@code Invoker} by relaying each call to the
 * {@link io.pyromesh.mesh.Target} a {@link io.pyromesh.mesh.Route} picks from a
 * {@link io.pyromesh.mesh.ForwardedCall}'s object, method and headers; {@link io.pyromesh.mesh.HopServer}
 * is a hop's gRPC server (forwarding, health, reflection, TLS, message size). Routing URIs is in
 * {@link io.pyromesh.mesh.routing}, metrics and the admin port in {@link io.pyromesh.mesh.operations}.
 */
package io.pyromesh.mesh;
