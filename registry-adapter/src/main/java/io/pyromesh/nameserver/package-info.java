/**
 * The name server (Pyro's {@code Pyro5.nameserver}): {@link io.pyromesh.nameserver.NameRegistry} holds
 * the rules, {@code NameServerObject} and {@code NameServerService} are its Pyro and gRPC faces,
 * {@code Watches} serve its change feed, {@link io.pyromesh.nameserver.NameServerDaemon} runs it.
 */
package io.pyromesh.nameserver;
