/** The server side: the {@link io.pyromesh.server.Daemon} that hosts objects, and the exposure annotations. */
package io.pyromesh.server;
