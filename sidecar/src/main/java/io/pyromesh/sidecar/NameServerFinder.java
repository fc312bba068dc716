package io.pyromesh.sidecar;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.NamingError;
import io.pyromesh.internal.Channels;
import io.pyromesh.internal.NameServerLocator;
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.uri.PyroURI;
import java.util.logging.Logger;

/**
 * Where the name server is: found as {@code Pyro.locateNS()} finds it (a host given to the sidecar, else
 * {@code NS_HOST} if set, else {@code localhost:NS_PORT}, else broadcast and multicast discovery), and
 * found again after it was lost, since a restarted name server may answer elsewhere.
 */
final class NameServerFinder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NameServerFinder.class.getName());

    private final String host;
    private final int port;
    private final PyroConfig config;
    private PyroURI found;
    private Channels.Lease channel;

    /** @param host the name server's host, or null to search for it; {@code port} as {@code Pyro.locateNS(host, port)} */
    NameServerFinder(String host, int port, PyroConfig config) {
        this.host = host;
        this.port = port;
        this.config = config;
    }

    /** The name server, searched for if it is not known; null if none answers. */
    synchronized NameServerGrpc.NameServerBlockingStub find() {
        if (channel == null) {
            if (found != null) {
                // the pooled channel to where it was backs off reconnecting, for up to two minutes
                Channels.Lease previous = Channels.shared().acquire(found.grpcTarget(), config);
                previous.channel().resetConnectBackoff();
                previous.release();
            }
            try {
                found = NameServerLocator.locate(host, port, config);
            } catch (NamingError notFound) {
                return null;
            }
            channel = Channels.shared().acquire(found.grpcTarget(), config);
            LOG.info(() -> "using the name server at " + found);
        }
        return NameServerGrpc.newBlockingStub(channel.channel());
    }

    /** The name server found last, without searching; null if none is known. */
    synchronized NameServerGrpc.NameServerBlockingStub known() {
        return channel == null ? null : NameServerGrpc.newBlockingStub(channel.channel());
    }

    /** The name server's URI, if known. */
    synchronized PyroURI location() {
        return channel == null ? null : found;
    }

    /** The name server stopped answering: search again next time. */
    synchronized void lost() {
        if (channel != null) {
            channel.release();
            channel = null;
        }
    }

    @Override
    public void close() {
        lost();
    }
}
