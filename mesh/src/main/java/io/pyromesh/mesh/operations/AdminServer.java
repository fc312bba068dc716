package io.pyromesh.mesh.operations;

import io.pyromesh.errors.CommunicationError;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A hop's admin port (HTTP, Jetty 12), for operators and their tools, on localhost unless told otherwise:
 * <ul>
 *   <li>{@code GET /metrics}: {@link MeshMetrics} in Prometheus' text format;</li>
 *   <li>{@code GET /health}: {@code 200 SERVING} or {@code 503 NOT_SERVING} (the same as gRPC health);</li>
 *   <li>pages a hop adds ({@link Builder#page}), e.g. the gateway's {@code /resolve?uri=...}.</li>
 * </ul>
 * Anything else is {@code 404}; a method other than GET or HEAD is {@code 405}.
 */
public final class AdminServer implements AutoCloseable {
    /** What a page answers: a status, a content type and a body. */
    public record Reply(int status, String contentType, String body) {
        public static Reply text(int status, String body) {
            return new Reply(status, "text/plain; charset=utf-8", body);
        }

        public static Reply json(int status, String body) {
            return new Reply(status, "application/json", body);
        }
    }

    /** A page of the admin port: answers a GET given its query parameters (first value of each). */
    @FunctionalInterface
    public interface Page {
        Reply get(Map<String, String> query);
    }

    private final Server server;
    private final ServerConnector connector;
    private final String host;

    private AdminServer(Builder builder) {
        this.host = builder.host;
        Map<String, Page> pages = new LinkedHashMap<>(builder.pages);
        MeshMetrics metrics = builder.metrics;
        if (metrics != null) {
            pages.put("/metrics", query -> new Reply(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        }
        BooleanSupplier serving = builder.serving;
        pages.put("/health", query -> serving.getAsBoolean() ? Reply.text(200, "SERVING\n") : Reply.text(503, "NOT_SERVING\n"));
        QueuedThreadPool threads = new QueuedThreadPool(8, 1);
        threads.setName("pyromesh-admin");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost(host);
        connector.setPort(builder.port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Reply reply = answer(pages, request);
                response.setStatus(reply.status());
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                boolean head = request.getMethod().equals("HEAD");
                Content.Sink.write(response, true, head ? "" : reply.body(), callback);
                return true;
            }
        });
        // answers are small and quick: stopping need not wait for idle keep-alive connections to go
        server.setStopTimeout(0);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // nothing started that needs stopping
            }
            throw new CommunicationError("cannot listen on " + host + ":" + builder.port + " (admin port): " + e.getMessage(), e);
        }
    }

    private static Reply answer(Map<String, Page> pages, Request request) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Reply.text(405, "405 Method Not Allowed\n");
        }
        Page page = pages.get(Request.getPathInContext(request));
        if (page == null) {
            return Reply.text(404, "404 Not Found: the admin port serves " + String.join(", ", pages.keySet()) + "\n");
        }
        Map<String, String> query = new LinkedHashMap<>();
        try {
            Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            fields.forEach(field -> query.put(field.getName(), field.getValue()));
        } catch (RuntimeException malformed) {
            return Reply.text(400, "400 Bad Request: malformed query string\n");
        }
        try {
            return page.get(query);
        } catch (RuntimeException failed) {
            return Reply.text(500, "500 Internal Server Error: " + failed.getClass().getSimpleName() + "\n");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port it listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port}. */
    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            Logger.getLogger(AdminServer.class.getName()).log(Level.FINE, "the admin port did not stop cleanly", e);
        }
    }

    /** Options of an admin server. */
    public static final class Builder {
        private String host = "localhost";
        private int port;
        private MeshMetrics metrics;
        private BooleanSupplier serving = () -> true;
        private final Map<String, Page> pages = new LinkedHashMap<>();

        private Builder() {}

        /** Where to listen (default localhost). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Serve these metrics on {@code /metrics}. */
        public Builder metrics(MeshMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /** What {@code /health} reports. */
        public Builder serving(BooleanSupplier serving) {
            this.serving = Objects.requireNonNull(serving, "serving");
            return this;
        }

        /** A page at {@code path} (e.g. {@code "/resolve"}). */
        public Builder page(String path, Page page) {
            pages.put(path, page);
            return this;
        }

        public AdminServer start() {
            return new AdminServer(this);
        }
    }
}
