package io.pyromesh.gateway.http;

import io.grpc.Channel;
import io.pyromesh.errors.CommunicationError;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Pyro's HTTP gateway, on Jetty: remote objects called with plain HTTP and JSON, for clients that speak
 * neither gRPC nor Pyro.
 *
 * <pre>
 * GET|POST /pyro/NAME/METHOD?arg=value...   calls METHOD of the object registered as NAME
 * GET      /pyro/NAME/PROPERTY              reads an exposed property
 * GET      /pyro/NAME/$meta                 what NAME exposes
 * </pre>
 *
 * Query parameters are keyword arguments; a POST body is a JSON array (positional arguments) or object
 * (keyword arguments). Every value is typed JSON, as {@code pyromesh call} reads it: text that is not
 * JSON is a string. Calls go, by {@code PYRONAME:NAME}, through a gRPC {@code Invoker} that takes full
 * URIs (the gateway's), so HTTP callers get the gateway's routing, balancing and allow-list. See
 * {@link PyroHttpHandler} for statuses, headers and bodies.
 */
public final class HttpGateway implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    private HttpGateway(Builder builder) {
        QueuedThreadPool threads = new QueuedThreadPool(builder.maxThreads, 2);
        threads.setName("pyro-http");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(builder.host);
        connector.setPort(builder.port);
        server.addConnector(connector);
        PyroHttpHandler handler = new PyroHttpHandler(builder);
        server.setHandler(handler);
        server.setErrorHandler(handler::handleError);
        server.setStopTimeout(5000);
        try {
            server.start();
        } catch (Exception e) {
            close();
            throw new CommunicationError("cannot listen for HTTP on " + builder.host + ":" + builder.port + ": " + e.getMessage(), e);
        }
    }

    public static Builder builder(Channel invoker) {
        return new Builder(invoker);
    }

    /** The port it listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** Where it listens, as {@code http://host:port}. */
    public String url() {
        String host = connector.getHost().contains(":") ? "[" + connector.getHost() + "]" : connector.getHost();
        return "http://" + host + ":" + port();
    }

    /** Stops accepting, lets requests in progress finish (up to 5 seconds), and releases the port. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP gateway did not stop cleanly: " + e.getMessage(), e);
        }
    }

    /** Options; everything but the invoker has a default. */
    public static final class Builder {
        final Channel invoker;
        String host = "localhost";
        int port = 8080;
        Predicate<String> exposed = name -> false;
        String gatewayKey;
        String corsOrigin;
        Duration timeout = Duration.ZERO;
        int maxMessageSize = 64 * 1024 * 1024;
        int maxThreads = 200;

        private Builder(Channel invoker) {
            this.invoker = Objects.requireNonNull(invoker, "invoker");
        }

        /** The host to listen on (default localhost). */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port to listen on (default 8080; 0 picks a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Which names may be called (default: none), as the gateway's {@code --expose} allow-list. */
        public Builder exposed(Predicate<String> exposed) {
            this.exposed = Objects.requireNonNull(exposed, "exposed");
            return this;
        }

        /** A key every request must carry in {@code X-Pyro-Gateway-Key} or {@code $key=} (default: none). */
        public Builder gatewayKey(String key) {
            this.gatewayKey = key == null || key.isEmpty() ? null : key;
            return this;
        }

        /** Allow browsers from this origin ({@code *} for any) to call, with CORS headers (default: off). */
        public Builder cors(String origin) {
            this.corsOrigin = origin == null || origin.isEmpty() ? null : origin;
            return this;
        }

        /** How long a call may take (zero: no limit); past it the answer is 504. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The largest request body, and the largest gRPC message, in bytes ({@code MAX_MESSAGE_SIZE}). */
        public Builder maxMessageSize(int bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        /** The most requests served at once. */
        public Builder maxThreads(int threads) {
            this.maxThreads = threads;
            return this;
        }

        /** Starts listening. */
        public HttpGateway start() {
            return new HttpGateway(this);
        }
    }
}
