/** Pyro's configuration items, read from defaults, {@code PYRO_*} environment variables, system properties and code. */
package io.pyromesh.config;
