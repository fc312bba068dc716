package io.pyromesh.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.server.Daemon;
import io.pyromesh.server.Expose;
import io.pyromesh.server.Oneway;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP gateway with a real HTTP client. Its calls go to an Invoker that takes PYRONAME URIs as
 * object ids; here a daemon stands in for the gateway's Invoker by registering its objects under those
 * URIs, so these tests see only what the HTTP layer adds.
 */
class HttpGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 4096;

    @Expose
    public static class Shop {
        final CountDownLatch secondItem = new CountDownLatch(1);
        final AtomicReference<String> note = new AtomicReference<>();
        final CountDownLatch noted = new CountDownLatch(1);

        public long add(long a, long b) {
            return a + b;
        }

        public String greet(String name, String greeting) {
            return greeting + ", " + name;
        }

        public int length(String text) {
            return text.length();
        }

        public String getLabel() {
            return "corner shop";
        }

        public String fail() {
            throw new IllegalStateException("out of stock");
        }

        public String slow() throws InterruptedException {
            Thread.sleep(3000);
            return "late";
        }

        @Oneway
        public void note(String text) {
            note.set(text);
            noted.countDown();
        }

        /** Yields one item, then waits until the test has read it: proof that items are written as they come. */
        public Iterator<Object> items() {
            return Stream.<Object>of("first", "second").peek(item -> {
                if (item.equals("second")) {
                    awaitQuietly(secondItem);
                }
            }).iterator();
        }

        private static void awaitQuietly(CountDownLatch latch) {
            try {
                latch.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Daemon invoker;
    private ManagedChannel channel;
    private Shop shop;
    private HttpGateway gateway;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() {
        invoker = Daemon.builder().host("127.0.0.1").config(PyroConfig.defaults()).build();
        shop = new Shop();
        invoker.register(shop, "PYRONAME:shop");
        invoker.register(new Shop(), "PYRONAME:hidden");
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", invoker.port()).usePlaintext().build();
        gateway = HttpGateway.builder(channel).host("127.0.0.1").port(0)
                .exposed(name -> name.startsWith("shop") || name.equals("nope"))
                .timeout(Duration.ofSeconds(20)).maxMessageSize(MAX_BODY).start();
    }

    @AfterEach
    void stop() {
        shop.secondItem.countDown();
        gateway.close();
        channel.shutdownNow();
        invoker.shutdown();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode error(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).as("the gateway's own code").doesNotContain("PyroHttpHandler").doesNotContain("org.eclipse.jetty");
        return JSON.readTree(response.body()).get("error");
    }

    @Test
    void aBodyWithinMaxMessageSizeReachesTheAppHoweverLongItsJson() throws Exception {
        // over 16 Mi characters and over Jackson's default string bound (20 M): MAX_MESSAGE_SIZE is the only limit
        int length = 21_000_000;
        try (HttpGateway roomy = HttpGateway.builder(channel).host("127.0.0.1").port(0).exposed(name -> name.equals("shop"))
                .maxMessageSize(32 * 1024 * 1024).start()) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(roomy.url() + "/pyro/shop/length"))
                    .POST(HttpRequest.BodyPublishers.ofString("[\"" + "x".repeat(length) + "\"]")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo(String.valueOf(length));
        }
    }

    @Test
    void callsWithQueryParametersOrAJsonBody() throws Exception {
        HttpResponse<String> query = get("/pyro/shop/add?a=40&b=2");
        assertThat(query.statusCode()).isEqualTo(200);
        assertThat(query.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(query.body()).isEqualTo("42");
        assertThat(post("/pyro/shop/add", "[40, 2]").body()).isEqualTo("42");
        assertThat(post("/pyro/shop/greet", "{\"name\": \"Ada\", \"greeting\": \"Hello\"}").body()).isEqualTo("\"Hello, Ada\"");
        assertThat(get("/pyro/shop/greet?name=Ada&greeting=Hi").body()).as("text that is not JSON is a string").isEqualTo("\"Hi, Ada\"");
    }

    @Test
    void describesAnObjectAndReadsItsProperties() throws Exception {
        JsonNode meta = JSON.readTree(get("/pyro/shop/$meta").body());
        assertThat(meta.get("methods").toString()).contains("\"add\"", "\"items\"", "\"note\"");
        assertThat(meta.get("attributes").toString()).isEqualTo("[\"label\"]");
        assertThat(meta.get("oneway").toString()).isEqualTo("[\"note\"]");
        assertThat(meta.get("streaming").toString()).isEqualTo("[\"items\"]");
        assertThat(get("/pyro/shop/label").body()).isEqualTo("\"corner shop\"");
        HttpResponse<String> withArguments = get("/pyro/shop/label?x=1");
        assertThat(withArguments.statusCode()).isEqualTo(400);
        assertThat(error(withArguments).get("message").asText()).isEqualTo("'label' is a property: it takes no arguments");
    }

    @Test
    void streamsResultsAsNdjsonWrittenAsTheyArrive() throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/pyro/shop/items")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-ndjson; charset=utf-8");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            // the second item is only produced after the first has been read here
            assertThat(lines.readLine()).isEqualTo("\"first\"");
            shop.secondItem.countDown();
            assertThat(lines.readLine()).isEqualTo("\"second\"");
            assertThat(lines.readLine()).isNull();
        }
    }

    @Test
    void aRemoteExceptionIs500WithTypeMessageAndRemoteTraceback() throws Exception {
        HttpResponse<String> response = get("/pyro/shop/fail");
        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode error = error(response);
        assertThat(error.get("type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.get("message").asText()).isEqualTo("out of stock");
        assertThat(error.get("traceback").asText()).contains("IllegalStateException: out of stock");
    }

    @Test
    void refusalsHaveTheirStatusAndAJsonBody() throws Exception {
        HttpResponse<String> unknown = get("/pyro/nope/add");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(error(unknown).get("status").asText()).isEqualTo("NOT_FOUND");

        HttpResponse<String> hidden = get("/pyro/hidden/add?a=1&b=2");
        assertThat(hidden.statusCode()).isEqualTo(403);
        assertThat(error(hidden).get("message").asText()).isEqualTo("access to the requested object has been denied");

        HttpResponse<String> badJson = post("/pyro/shop/add", "[1, ");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(error(badJson).get("type").asText()).isEqualTo("SerializeError");

        HttpResponse<String> noSignature = get("/pyro/shop/add?a=1");
        assertThat(noSignature.statusCode()).isEqualTo(400);
        assertThat(error(noSignature).get("type").asText()).isEqualTo("TypeError");

        HttpResponse<String> tooLarge = post("/pyro/shop/greet", "[\"" + "x".repeat(MAX_BODY) + "\", \"hi\"]");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(error(tooLarge).get("type").asText()).isEqualTo("MessageTooLargeError");

        HttpResponse<String> badPath = get("/pyro/shop");
        assertThat(badPath.statusCode()).isEqualTo(404);

        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(gateway.url() + "/pyro/shop/add"))
                .PUT(HttpRequest.BodyPublishers.ofString("[]")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        error(put);

        String malformedUri = raw("GET /pyro/%zz/add HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(malformedUri).startsWith("HTTP/1.1 400 ").contains("application/json").contains("{\"error\":")
                .doesNotContain("org.eclipse.jetty");
    }

    @Test
    void aCallOverTheTimeoutIs504() throws Exception {
        try (HttpGateway impatient = HttpGateway.builder(channel).host("127.0.0.1").port(0).exposed(name -> true)
                .timeout(Duration.ofMillis(500)).start()) {
            HttpResponse<String> slow = http.send(HttpRequest.newBuilder(URI.create(impatient.url() + "/pyro/shop/slow")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(slow.statusCode()).isEqualTo(504);
            assertThat(error(slow).get("type").asText()).isEqualTo("TimeoutError");
        }
    }

    /** A request the JDK's client would refuse to send, written on a socket. */
    private String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void onewayCallsAnswerAtOnceWithAnEmptyBody() throws Exception {
        HttpResponse<String> response = get("/pyro/shop/greet?name=x&greeting=y", "X-Pyro-Options", "oneway");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(get("/pyro/shop/note?text=hello").body()).isEmpty();
        assertThat(shop.noted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(shop.note.get()).isEqualTo("hello");
    }

    @Test
    void correlationIdsAreHonouredAndEchoed() throws Exception {
        String id = UUID.randomUUID().toString();
        assertThat(get("/pyro/shop/add?a=1&b=1", "X-Pyro-Correlation-Id", id).headers().firstValue("X-Pyro-Correlation-Id")).hasValue(id);
        assertThat(get("/pyro/shop/add?a=1&b=1").headers().firstValue("X-Pyro-Correlation-Id"))
                .hasValueSatisfying(fresh -> assertThat(UUID.fromString(fresh)).isNotNull());
        HttpResponse<String> notUuid = get("/pyro/shop/add?a=1&b=1", "X-Pyro-Correlation-Id", "not-a-uuid");
        assertThat(notUuid.statusCode()).isEqualTo(400);
        error(notUuid);
    }

    @Test
    void theRootRedirectsToPyro() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/pyro/"));
    }

    @Test
    void aGatewayKeyIsRequiredWhenConfiguredAndCorsHeadersWhenAsked() throws Exception {
        try (HttpGateway keyed = HttpGateway.builder(channel).host("127.0.0.1").port(0).exposed(name -> true)
                .gatewayKey("s3cret").cors("https://example.org").start()) {
            String base = keyed.url();
            HttpResponse<String> without = http.send(HttpRequest.newBuilder(URI.create(base + "/pyro/shop/add?a=1&b=2")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(without.statusCode()).isEqualTo(403);
            assertThat(error(without).get("message").asText()).isEqualTo("incorrect gateway api key");
            assertThat(without.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://example.org");
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(base + "/pyro/shop/add?a=1&b=2"))
                    .header("X-Pyro-Gateway-Key", "guess").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(403);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/pyro/shop/add?a=1&b=2"))
                    .header("X-Pyro-Gateway-Key", "s3cret").build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("3");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/pyro/shop/add?a=1&b=2&$key=s3cret")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("3");
            HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(base + "/pyro/shop/add"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().allValues("Access-Control-Allow-Methods")).isEqualTo(List.of("GET, POST, OPTIONS"));
        }
    }
}
