/** Where the name server keeps its registrations: the {@link io.pyromesh.nameserver.store.Store} SPI and its implementations. */
package io.pyromesh.nameserver.store;
