package io.pyromesh.bench;

import java.util.concurrent.CompletableFuture;

/** Something that echoes over the network: the baseline or Pyromesh, measured the same way. */
interface EchoTarget extends AutoCloseable {
    String echo(String text);

    /** The echo, without waiting for it: completes on the client's transport threads. */
    CompletableFuture<String> echoAsync(String text);

    byte[] echoBytes(byte[] data);

    @Override
    void close();
}
