/**
 * Finding the name server: through Consul ({@link io.pyromesh.naming.ConsulNameServers}) and by UDP broadcast
 * and multicast discovery ({@link io.pyromesh.naming.Discovery}).
 */
package io.pyromesh.naming;
