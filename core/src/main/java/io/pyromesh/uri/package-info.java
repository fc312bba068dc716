/** Pyro object URIs ({@code PYRO:}, {@code PYRONAME:}, {@code PYROMETA:}): parsing, canonical form, gRPC targets. */
package io.pyromesh.uri;
