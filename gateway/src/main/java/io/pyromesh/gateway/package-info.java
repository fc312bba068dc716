/** The gateway: the mesh's edge, calling objects by full URI over gRPC and HTTP/JSON. */
package io.pyromesh.gateway;
