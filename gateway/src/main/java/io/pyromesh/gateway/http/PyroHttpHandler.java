package io.pyromesh.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.pyromesh.errors.PyroError;
import io.pyromesh.internal.Headers;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.MetadataRequest;
import io.pyromesh.proto.v1.ObjectMetadata;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.values.JsonValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Serves {@code /pyro/NAME/MEMBER}: checks the request, turns it into a call through the gateway's
 * {@code Invoker}, and writes the answer.
 *
 * <table>
 * <caption>Answers</caption>
 * <tr><th>status</th><th>when</th><th>body</th></tr>
 * <tr><td>200</td><td>a result</td><td>its JSON ({@code application/json}); a streamed result as one JSON
 *     value per line as items arrive ({@code application/x-ndjson}); a oneway call: empty</td></tr>
 * <tr><td>302</td><td>{@code /}</td><td>to {@code /pyro/}</td></tr>
 * <tr><td>400</td><td>malformed JSON, arguments that fit no signature, arguments to a property</td><td rowspan="9">
 *     {@code {"error": {"type": <Pyro error or remote exception type>, "message": ..., "status": <gRPC
 *     code>, "traceback": <remote traceback, for 500>}}}</td></tr>
 * <tr><td>403</td><td>a name outside the allow-list, a missing or wrong gateway key, an unexposed member</td></tr>
 * <tr><td>404</td><td>an unknown name or object, a path not of the form {@code /pyro/NAME/MEMBER}</td></tr>
 * <tr><td>405</td><td>a method other than GET, POST or OPTIONS</td></tr>
 * <tr><td>413</td><td>a body or call over the size limit</td></tr>
 * <tr><td>500</td><td>an exception raised by the remote object</td></tr>
 * <tr><td>503</td><td>the object's server cannot be reached, or has no free worker</td></tr>
 * <tr><td>504</td><td>the call took longer than the gateway's timeout</td></tr>
 * <tr><td>502</td><td>any other failure of the call</td></tr>
 * </table>
 *
 * <p>Headers: {@code X-Pyro-Options: oneway} runs the call in the background; {@code X-Pyro-Correlation-Id}
 * (a UUID) is passed on as the call's correlation id and sent back (a fresh one when the request had none); {@code X-Pyro-Gateway-Key}
 * (or {@code $key=}) must match a configured key; CORS headers when an origin is configured.
 */
final class PyroHttpHandler extends Handler.Abstract {
    private static final Logger LOG = Logger.getLogger(PyroHttpHandler.class.getName());
    private static final String PREFIX = "/pyro/";
    private static final String META = "$meta";
    private static final String GETATTR = "__getattr__";
    private static final String JSON_TYPE = "application/json; charset=utf-8";
    private static final String NDJSON_TYPE = "application/x-ndjson; charset=utf-8";
    private static final String CORRELATION_HEADER = "X-Pyro-Correlation-Id";
    private static final String KEY_HEADER = "X-Pyro-Gateway-Key";
    private static final String OPTIONS_HEADER = "X-Pyro-Options";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Channel invoker;
    private final Predicate<String> exposed;
    private final byte[] gatewayKey;
    private final String corsOrigin;
    private final Duration timeout;
    private final int maxMessageSize;

    PyroHttpHandler(HttpGateway.Builder options) {
        this.invoker = options.invoker;
        this.exposed = options.exposed;
        this.gatewayKey = options.gatewayKey == null ? null : options.gatewayKey.getBytes(StandardCharsets.UTF_8);
        this.corsOrigin = options.corsOrigin;
        this.timeout = options.timeout;
        this.maxMessageSize = options.maxMessageSize;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        try {
            cors(response);
            serve(request, response, callback);
        } catch (Refused refused) {
            fail(response, callback, refused.failure);
        } catch (PyroError badInput) {
            fail(response, callback, HttpFailure.of(400, badInput.pyroName(), badInput.getMessage()));
        } catch (StatusRuntimeException failed) {
            fail(response, callback, HttpFailure.fromStatus(failed));
        } catch (RuntimeException | IOException unexpected) {
            LOG.log(Level.WARNING, "HTTP request " + request.getHttpURI().getPath() + " failed", unexpected);
            fail(response, callback, HttpFailure.of(502, "PyroError", "the gateway could not complete the call"));
        }
        return true;
    }

    private void serve(Request request, Response response, Callback callback) throws IOException {
        String method = request.getMethod();
        if (HttpMethod.OPTIONS.is(method)) {
            response.setStatus(204);
            callback.succeeded();
            return;
        }
        if (!HttpMethod.GET.is(method) && !HttpMethod.POST.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, POST, OPTIONS");
            throw new Refused(HttpFailure.of(405, "ProtocolError", "method " + PyroError.excerpt(method) + " not allowed: use GET or POST"));
        }
        String path = Request.getPathInContext(request);
        if (path.equals("/") || path.equals("/pyro")) {
            Response.sendRedirect(request, response, callback, PREFIX);
            return;
        }
        int lastSlash = path.lastIndexOf('/');
        if (!path.startsWith(PREFIX) || lastSlash < PREFIX.length() + 1 || lastSlash == path.length() - 1) {
            throw new Refused(HttpFailure.of(404, "NamingError", "no such path: use /pyro/NAME/METHOD, /pyro/NAME/PROPERTY or /pyro/NAME/$meta"));
        }
        String name = path.substring(PREFIX.length(), lastSlash);
        String member = path.substring(lastSlash + 1);
        Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        checkKey(request, query);
        if (!exposed.test(name)) {
            throw new Refused(HttpFailure.of(403, "SecurityError", "access to the requested object has been denied"));
        }
        String body = HttpMethod.POST.is(method) ? body(request) : null;
        UUID correlationId = correlationId(request);
        response.getHeaders().put(CORRELATION_HEADER, correlationId.toString());
        Call call = new Call(PyroURI.name(name).toString(), correlationId);
        if (member.equals(META)) {
            ObjectMetadata metadata = call.metadata();
            writeJson(response, callback, 200, describe(metadata));
            return;
        }
        ObjectMetadata metadata = call.metadata();
        InvokeRequest.Builder invoke = InvokeRequest.newBuilder().setObject(call.object);
        if (!metadata.getMethodsList().contains(member) && metadata.getAttrsList().contains(member)) {
            if (HttpArguments.any(query, body)) {
                throw new Refused(HttpFailure.of(400, "TypeError", "'" + PyroError.excerpt(member) + "' is a property: it takes no arguments"));
            }
            invoke.setMethod(GETATTR).addArgs(Value.newBuilder().setStrValue(member));
        } else {
            invoke.setMethod(member);
            HttpArguments.addTo(invoke, query, body);
        }
        if (metadata.getStreamingList().contains(member)) {
            call.stream(invoke.build(), response, callback);
            return;
        }
        boolean oneway = "oneway".equalsIgnoreCase(request.getHeaders().get(OPTIONS_HEADER)) || metadata.getOnewayList().contains(member);
        InvokeResponse result = call.invoke(invoke.setOneway(oneway).build());
        if (result.hasError()) {
            fail(response, callback, HttpFailure.raised(result.getError()));
        } else if (oneway) {
            response.setStatus(200);
            callback.succeeded();
        } else {
            write(response, callback, 200, JSON_TYPE, JsonValues.toJson(result.getResult()));
        }
    }

    /** The body, refused (413) before it is read when its declared length is over the limit, or once it grows past it. */
    private String body(Request request) throws IOException {
        long declared = request.getLength();
        if (declared > maxMessageSize) {
            throw tooLarge(declared);
        }
        try (InputStream in = Request.asInputStream(request)) {
            byte[] bytes = in.readNBytes(maxMessageSize + 1);
            if (bytes.length > maxMessageSize) {
                throw tooLarge(-1);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private Refused tooLarge(long size) {
        return new Refused(HttpFailure.of(413, "MessageTooLargeError",
                "request body too large (" + (size < 0 ? "more than " + maxMessageSize : size) + " bytes, max=" + maxMessageSize + ")"));
    }

    private void checkKey(Request request, Fields query) {
        if (gatewayKey == null) {
            return;
        }
        String given = request.getHeaders().get(KEY_HEADER);
        if (given == null) {
            given = query.getValue(HttpArguments.KEY_PARAMETER);
        }
        if (given == null || !MessageDigest.isEqual(gatewayKey, given.getBytes(StandardCharsets.UTF_8))) {
            throw new Refused(HttpFailure.of(403, "SecurityError", "incorrect gateway api key"));
        }
    }

    /** The caller's correlation id, or a fresh one: every answer carries one, streamed ones included. */
    private static UUID correlationId(Request request) {
        String given = request.getHeaders().get(CORRELATION_HEADER);
        if (given == null) {
            return UUID.randomUUID();
        }
        try {
            return UUID.fromString(given);
        } catch (IllegalArgumentException notUuid) {
            throw new Refused(HttpFailure.of(400, "ProtocolError", CORRELATION_HEADER + " must be a UUID, not " + PyroError.excerpt(given)));
        }
    }

    private static Map<String, Object> describe(ObjectMetadata metadata) {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("methods", metadata.getMethodsList().stream().sorted().toList());
        described.put("attributes", metadata.getAttrsList().stream().sorted().toList());
        described.put("oneway", metadata.getOnewayList().stream().sorted().toList());
        described.put("streaming", metadata.getStreamingList().stream().sorted().toList());
        return described;
    }

    private void cors(Response response) {
        if (corsOrigin != null) {
            response.getHeaders().put("Access-Control-Allow-Origin", corsOrigin);
            response.getHeaders().put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            response.getHeaders().put("Access-Control-Allow-Headers", "Content-Type, " + KEY_HEADER + ", " + OPTIONS_HEADER + ", " + CORRELATION_HEADER);
            response.getHeaders().put("Access-Control-Expose-Headers", CORRELATION_HEADER);
        }
    }

    /** Jetty's own refusals (a malformed URI or header, say), as JSON like every other error. */
    boolean handleError(Request request, Response response, Callback callback) {
        Object status = request.getAttribute(ErrorHandler.ERROR_STATUS);
        Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        int code = status instanceof Integer number ? number : 500;
        cors(response);
        fail(response, callback, HttpFailure.of(code, "ProtocolError", message == null ? "bad request" : message.toString()));
        return true;
    }

    private static void fail(Response response, Callback callback, HttpFailure failure) {
        if (response.isCommitted()) {
            callback.failed(new IOException("the response was already under way: " + failure.error()));
            return;
        }
        try {
            writeJson(response, callback, failure.status(), Map.of("error", failure.error()));
        } catch (IOException cannotWrite) {
            callback.failed(cannotWrite);
        }
    }

    private static void writeJson(Response response, Callback callback, int status, Object body) throws IOException {
        write(response, callback, status, JSON_TYPE, MAPPER.writeValueAsString(body));
    }

    private static void write(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        Content.Sink.write(response, true, body, callback);
    }

    /** One HTTP request's calls through the invoker, with its correlation id. */
    private final class Call {
        final String object;
        private final Channel channel;

        Call(String object, UUID correlationId) {
            this.object = object;
            Metadata headers = new Metadata();
            headers.put(Headers.CORRELATION_ID, correlationId.toString());
            this.channel = ClientInterceptors.intercept(invoker, MetadataUtils.newAttachHeadersInterceptor(headers));
        }

        private CallOptions options() {
            CallOptions options = CallOptions.DEFAULT.withMaxOutboundMessageSize(maxMessageSize).withMaxInboundMessageSize(maxMessageSize);
            return timeout.isZero() ? options : options.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        ObjectMetadata metadata() {
            return ClientCalls.blockingUnaryCall(channel, InvokerGrpc.getGetMetadataMethod(), options(),
                    MetadataRequest.newBuilder().setObject(object).build());
        }

        InvokeResponse invoke(InvokeRequest request) {
            return ClientCalls.blockingUnaryCall(channel, InvokerGrpc.getInvokeMethod(), options(), request);
        }

        /**
         * Writes a streamed result as NDJSON, one line per item as it arrives; gRPC's flow control holds the
         * object back while the HTTP client reads slowly. An error before the first item is an ordinary
         * error response; after it, a last line {@code {"error": ...}}. A client that goes away cancels the call.
         */
        void stream(InvokeRequest request, Response response, Callback callback) throws IOException {
            Context.CancellableContext call = Context.current().withCancellation();
            Context previous = call.attach();
            try {
                Iterator<InvokeResponse> items = ClientCalls.blockingServerStreamingCall(channel, InvokerGrpc.getInvokeStreamMethod(), options(), request);
                boolean first = items.hasNext(); // a refused call fails here, before anything is written
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, NDJSON_TYPE);
                try (OutputStream out = Content.Sink.asOutputStream(response)) {
                    for (boolean more = first; more; more = items.hasNext()) {
                        InvokeResponse item = items.next();
                        String line = item.hasError()
                                ? MAPPER.writeValueAsString(Map.of("error", HttpFailure.raised(item.getError()).error()))
                                : JsonValues.toJson(item.getResult());
                        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                } catch (StatusRuntimeException failedMidway) {
                    // the status and headers are out: the error can only be the last line
                    try (OutputStream out = Content.Sink.asOutputStream(response)) {
                        out.write((MAPPER.writeValueAsString(Map.of("error", HttpFailure.fromStatus(failedMidway).error())) + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                    }
                } catch (IOException clientGone) {
                    call.cancel(clientGone);
                    callback.failed(clientGone);
                    return;
                }
                callback.succeeded();
            } finally {
                call.detach(previous);
                call.cancel(null);
            }
        }
    }

    /** A request refused by the gateway itself, with the answer to give. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient HttpFailure failure;

        Refused(HttpFailure failure) {
            super(String.valueOf(failure.error().get("message")), null, false, false);
            this.failure = failure;
        }
    }
}
