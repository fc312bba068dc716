/**
 * Internal plumbing shared by Pyromesh's own packages and modules: how calls ride on gRPC (headers,
 * channels, TLS, unix sockets, errors as statuses), finding the name server and resolving names, the
 * per-thread call state behind {@link io.pyromesh.context.CallContext}, and the registry of objects this
 * process serves.
 *
 * <p><b>Not API.</b> These classes are public only because Java has no other way to share them between
 * packages; they may change in any release. Applications use {@link io.pyromesh.Pyro}, the proxy, the
 * daemon and the other types listed in {@code docs/api.md}.
 */
package io.pyromesh.internal;
