/**
 * The name server (Pyro's {@code Pyro5.nameserver}): {@link io.pyromesh.nameserver.NameRegistry} holds
 * the rules, {@link io.pyromesh.nameserver.NameServerObject} and {@link io.pyromesh.nameserver.NameServerService}
 * are its Pyro and gRPC faces, {@link io.pyromesh.nameserver.NameServerDaemon} runs it.
 */
package io.pyromesh.nameserver;
