/** Utilities that ship with Pyromesh, as Pyro's {@code Pyro5.utils}: the test echo server. */
package io.pyromesh.utils;
