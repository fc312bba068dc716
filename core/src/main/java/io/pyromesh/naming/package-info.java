/** Finding the name server: UDP broadcast and multicast discovery ({@link io.pyromesh.naming.Discovery}). */
package io.pyromesh.naming;
