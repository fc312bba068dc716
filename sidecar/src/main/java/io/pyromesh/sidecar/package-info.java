/** The per-host sidecar: local apps attach their objects; it publishes them and forwards their calls. */
package io.pyromesh.sidecar;
