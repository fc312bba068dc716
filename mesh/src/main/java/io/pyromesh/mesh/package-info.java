/** What every mesh hop (sidecar, gateway) shares: forwarding calls without decoding them, routing URIs, operations. */
package io.pyromesh.mesh;
