package io.pyromesh.internal;

import io.grpc.StatusRuntimeException;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.NamingError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.proto.v1.PingRequest;
import io.pyromesh.uri.PyroURI;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds the name server (Pyro's {@code locate_ns}), in DESIGN's order:
 * <ol>
 *   <li>a host given by the caller (a {@code PYRONAME:x@host} URI, {@code -n host}): that one only;</li>
 *   <li>{@code NS_HOST} set explicitly (environment, property or code): that one only;</li>
 *   <li>with {@code CONSUL_ADDR} set: the name servers registered in that Consul, nearest first
 *       ({@link ConsulNameServers}); a Consul that cannot be asked is passed over;</li>
 *   <li>as Pyro does when {@code NS_HOST} is the default loopback: a quick direct try at
 *       {@code localhost:NS_PORT}, because a loopback-bound name server never answers discovery;</li>
 *   <li>UDP discovery: {@code GET_NSURI} by broadcast and multicast, 3 rounds of 0.7 s
 *       ({@link Discovery});</li>
 *   <li>otherwise NamingError "Failed to locate the nameserver".</li>
 * </ol>
 * Every candidate is pinged (the {@code NameServer} service's {@code Ping}) before it is returned.
 */
public final class NameServerLocator {
    private static final Logger LOG = Logger.getLogger(NameServerLocator.class.getName());
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);

    private NameServerLocator() {}

    /**
     * The URI of a name server that answers.
     *
     * @param host where it is, or null to search
     * @param port its port with a host (0: {@code NS_PORT}); without a host, the discovery port (0: {@code NS_BCPORT})
     */
    public static PyroURI locate(String host, int port, PyroConfig config) {
        if (host != null) {
            return direct(host, port == 0 ? config.nsPort() : port, config);
        }
        if (!"default".equals(config.source("NS_HOST"))) {
            return direct(config.nsHost(), config.nsPort(), config);
        }
        Optional<PyroURI> registered = fromConsul(config);
        if (registered.isPresent()) {
            return registered.get();
        }
        if (isLoopback(config.nsHost())) {
            PyroURI local = address(config.nsHost(), config.nsPort());
            if (answers(local, config)) {
                return local;
            }
        }
        Optional<PyroURI> discovered = Discovery.query(config, port == 0 ? config.nsBcPort() : port);
        if (discovered.isPresent() && answers(discovered.get(), config)) {
            return discovered.get();
        }
        throw new NamingError("Failed to locate the nameserver");
    }

    /** The first name server Consul lists as passing that answers, when a Consul address is configured. */
    private static Optional<PyroURI> fromConsul(PyroConfig config) {
        if (config.consulAddr() == null) {
            return Optional.empty();
        }
        try {
            for (PyroURI candidate : ConsulNameServers.passing(config.consulAddr())) {
                if (answers(candidate, config)) {
                    return Optional.of(candidate);
                }
            }
        } catch (PyroError unreachable) {
            LOG.log(Level.FINE, "looking for the name server in consul failed", unreachable);
        }
        return Optional.empty();
    }

    private static PyroURI direct(String host, int port, PyroConfig config) {
        PyroURI uri = address(host, port);
        try {
            ping(uri, config);
            return uri;
        } catch (PyroError unreachable) {
            throw new NamingError("Failed to locate the nameserver", unreachable);
        }
    }

    private static boolean answers(PyroURI uri, PyroConfig config) {
        try {
            ping(uri, config);
            return true;
        } catch (PyroError unreachable) {
            return false;
        }
    }

    private static void ping(PyroURI uri, PyroConfig config) {
        Duration configured = config.commTimeout();
        Duration timeout = configured.isZero() || configured.compareTo(PING_TIMEOUT) > 0 ? PING_TIMEOUT : configured;
        Channels.Lease lease = Channels.shared().acquire(uri.grpcTarget(), config);
        try {
            NameServerGrpc.newBlockingStub(lease.channel())
                    .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .ping(PingRequest.getDefaultInstance());
        } catch (StatusRuntimeException failed) {
            throw GrpcErrors.fromStatus(failed, uri.location());
        } finally {
            lease.release();
        }
    }

    /** The name server's URI at a host, which may be {@code ./u:socket} for a unix socket. */
    static PyroURI address(String host, int port) {
        if (host.startsWith("./u:")) {
            return PyroURI.unixSocket(PyroURI.NAMESERVER_NAME, host.substring("./u:".length()));
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return PyroURI.direct(PyroURI.NAMESERVER_NAME, bare, port);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException | SecurityException unknown) {
            return false;
        }
    }
}
