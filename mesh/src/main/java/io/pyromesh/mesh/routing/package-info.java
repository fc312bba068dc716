/**
 * URIs to targets: {@link io.pyromesh.mesh.routing.Router} resolves PYRONAME and PYROMETA URIs in a cache
 * the name server's {@code Watch} keeps current, balances per call ({@link io.pyromesh.mesh.routing.Balancing}),
 * sets failed targets aside, fails over when a request never left, and explains itself
 * ({@link io.pyromesh.mesh.routing.Explanation}); {@link io.pyromesh.mesh.routing.ChannelPool} keeps one
 * channel per target.
 */
package io.pyromesh.mesh.routing;
