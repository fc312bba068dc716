/** How Pyromesh rides on gRPC: header names, channels, TLS. Shared by every Pyromesh module. */
package io.pyromesh.transport;
