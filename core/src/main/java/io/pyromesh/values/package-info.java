/** Pyro's data values in Java: the codec between Java objects, {@code pyromesh.v1.Value} and JSON. */
package io.pyromesh.values;
