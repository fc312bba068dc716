package io.pyromesh.bench;

/** Something that echoes over the network: the baseline or Pyromesh, measured the same way. */
interface EchoTarget extends AutoCloseable {
    String echo(String text);

    byte[] echoBytes(byte[] data);

    @Override
    void close();
}
