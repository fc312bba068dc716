package io.pyromesh.client;

import java.util.Iterator;

/**
 * The items of a streamed remote result, fetched as they are consumed. Close it to stop the stream
 * early: the remote side then closes its iterator or stream too.
 */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {
    @Override
    void close();
}
