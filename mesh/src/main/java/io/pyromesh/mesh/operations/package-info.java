/**
 * A hop's operations: {@link io.pyromesh.mesh.operations.MeshMetrics} (Micrometer, Prometheus format) and
 * {@link io.pyromesh.mesh.operations.AdminServer} (the admin HTTP port on Jetty 12: metrics, health and
 * pages a hop adds).
 */
package io.pyromesh.mesh.operations;
