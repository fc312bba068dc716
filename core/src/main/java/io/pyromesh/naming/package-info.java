/** The name server as Java code sees it: {@link io.pyromesh.naming.NameServer}, from {@code Pyro.locateNS()}. */
package io.pyromesh.naming;
