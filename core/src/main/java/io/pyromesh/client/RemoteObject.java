package io.pyromesh.client;

/**
 * Implemented by every typed proxy ({@code Pyro.proxy(uri, Warehouse.class)}), whatever its interface:
 * cast to it to reach the underlying {@link Proxy} or to close the proxy.
 *
 * <p>{@code close()} is handled locally, releasing the proxy, when the interface has it from
 * {@link AutoCloseable} or from here (an interface that extends either and declares {@code close()}
 * again, as {@code NameServer} does, overrides theirs). A {@code void close()} that an interface
 * declares itself, without extending {@code AutoCloseable}, is the remote object's {@code close()}:
 * calling it calls the object. Java gives a proxy a single {@code close()}, so {@code close()} through
 * this interface then calls the object too; release such a proxy with {@code pyroProxy().close()}.
 */
public interface RemoteObject extends AutoCloseable {
    /** The dynamic proxy behind this typed proxy (for timeouts, metadata, batches ...). */
    Proxy pyroProxy();

    /** Releases the proxy's connection, a later call connecting again (but see above for a remote close()). */
    @Override
    void close();
}
