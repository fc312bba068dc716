package io.pyromesh.bench;

import io.pyromesh.Pyro;
import io.pyromesh.client.RemoteObject;
import io.pyromesh.server.Daemon;
import io.pyromesh.server.Expose;
import io.pyromesh.uri.PyroURI;
import java.util.concurrent.CompletableFuture;

/** Pyromesh: typed proxies (blocking and asynchronous, over one connection) calling an object in a Daemon, on loopback. */
final class PyromeshTarget implements EchoTarget {
    /** The remote contract. */
    @Expose
    public interface Echo {
        String echo(String text);

        byte[] echoBytes(byte[] data);
    }

    /** The same contract as the client calls it without waiting: the daemon's object is the same. */
    public interface AsyncEcho {
        CompletableFuture<String> echo(String text);
    }

    /** The object. */
    public static final class EchoObject implements Echo {
        @Override
        public String echo(String text) {
            return text;
        }

        @Override
        public byte[] echoBytes(byte[] data) {
            return data;
        }
    }

    private final Daemon daemon;
    private final Echo proxy;
    private final AsyncEcho asyncProxy;

    PyromeshTarget() {
        daemon = new Daemon("127.0.0.1", 0);
        PyroURI uri = daemon.register(new EchoObject(), "bench.echo");
        proxy = Pyro.proxy(uri, Echo.class);
        asyncProxy = ((RemoteObject) proxy).pyroProxy().as(AsyncEcho.class);
    }

    @Override
    public String echo(String text) {
        return proxy.echo(text);
    }

    @Override
    public CompletableFuture<String> echoAsync(String text) {
        return asyncProxy.echo(text);
    }

    @Override
    public byte[] echoBytes(byte[] data) {
        return proxy.echoBytes(data);
    }

    @Override
    public void close() {
        ((RemoteObject) proxy).close();
        daemon.shutdown();
    }
}
