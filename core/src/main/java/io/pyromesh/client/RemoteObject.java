package io.pyromesh.client;

/**
 * Implemented by every typed proxy ({@code Pyro.proxy(uri, Warehouse.class)}), whatever its interface:
 * cast to it to reach the underlying {@link Proxy} or to close the proxy.
 */
public interface RemoteObject extends AutoCloseable {
    /** The dynamic proxy behind this typed proxy (for timeouts, metadata, batches ...). */
    Proxy pyroProxy();

    /** Releases the proxy's connection; a later call connects again. */
    @Override
    void close();
}
