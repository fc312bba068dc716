/** The call context: correlation ids, annotations and caller details, visible to both ends of a call. */
package io.pyromesh.context;
