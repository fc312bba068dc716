package io.pyromesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.pyromesh.client.CloseableIterator;
import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.NamingError;
import io.pyromesh.errors.SecurityError;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.internal.Headers;
import io.pyromesh.mesh.routing.ChannelPool;
import io.pyromesh.nameserver.NameServerDaemon;
import io.pyromesh.proto.v1.BatchRequest;
import io.pyromesh.proto.v1.ErrorDetail;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.server.Daemon;
import io.pyromesh.server.Expose;
import io.pyromesh.testing.Eventually;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.values.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway with a real name server and daemons on 127.0.0.1, called as a client would. */
class GatewayTest {
    private static final PyroConfig CONFIG = PyroConfig.defaults().with("HOST", "127.0.0.1").with("MAX_MESSAGE_SIZE", 4 << 20);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @Expose
    public static class Shop {
        final String name;
        final AtomicInteger calls = new AtomicInteger();
        volatile CountDownLatch release = new CountDownLatch(0);

        public Shop(String name) {
            this.name = name;
        }

        public String whoami() {
            calls.incrementAndGet();
            return name;
        }

        public Object echo(Object value) {
            return value;
        }

        public String hold() throws InterruptedException {
            release.await(30, TimeUnit.SECONDS);
            return "released";
        }

        public Iterator<Integer> count(int upTo) {
            return java.util.stream.IntStream.rangeClosed(1, upTo).iterator();
        }
    }

    private final NameServerDaemon ns = NameServerDaemon.builder().config(CONFIG).host("127.0.0.1").port(0).broadcast(false).start();
    private final Daemon first = Daemon.builder().config(CONFIG).build();
    private final Daemon second = Daemon.builder().config(CONFIG).build();
    private final Shop main = new Shop("main");
    private final Shop replica1 = new Shop("replica1");
    private final Shop replica2 = new Shop("replica2");
    private final ChannelPool channels = new ChannelPool(CONFIG);
    private final List<Gateway> gateways = new ArrayList<>();

    GatewayTest() {
        register(first, main, "shop.main", "role:front");
        register(first, replica1, "shop.replica1", "role:shop");
        register(second, replica2, "shop.replica2", "role:shop");
        register(second, new Shop("hidden"), "hidden.replica", "role:shop");
    }

    private void register(Daemon daemon, Object object, String name, String... tags) {
        PyroURI uri = daemon.register(object, name);
        ns.registry().register(name, uri, false, List.of(tags), null);
    }

    @AfterEach
    void stop() {
        gateways.forEach(Gateway::close);
        channels.close();
        first.close();
        second.close();
        ns.close();
    }

    private Gateway gateway(String... expose) throws InterruptedException {
        Gateway.Builder builder = Gateway.builder(CONFIG).port(0).adminPort(0).nameServer("127.0.0.1", ns.uri().port());
        for (String regex : expose) {
            builder.expose(regex);
        }
        Gateway gateway = builder.start();
        gateways.add(gateway);
        assertThat(gateway.awaitCurrent(PATIENCE)).isTrue();
        return gateway;
    }

    private static Proxy through(Gateway gateway, String uri) {
        return new Proxy(PyroURI.direct(uri, "127.0.0.1", gateway.port()), CONFIG) {
        };
    }

    /** A raw Invoker stub to the gateway. */
    private InvokerGrpc.InvokerBlockingStub stub(Gateway gateway) {
        return InvokerGrpc.newBlockingStub(channels.channel(gateway.location()));
    }

    private static InvokeRequest call(String object, String method, Object... args) {
        InvokeRequest.Builder request = InvokeRequest.newBuilder().setObject(object).setMethod(method);
        for (Object arg : args) {
            request.addArgs(ValueCodec.standard().encode(arg));
        }
        return request.build();
    }

    private static ErrorDetail failure(Runnable call, Status.Code code) {
        try {
            call.run();
        } catch (StatusRuntimeException failed) {
            assertThat(failed.getStatus().getCode()).as(failed.getStatus().toString()).isEqualTo(code);
            return failed.getTrailers().get(GrpcErrors.ERROR_DETAIL);
        }
        throw new AssertionError("the call did not fail");
    }

    @Test
    void httpCallsTakeTheGatewaysRoutesAndAllowList() throws Exception {
        Gateway gateway = Gateway.builder(CONFIG).port(0).adminPort(-1).httpPort(0).expose("shop\\.").expose("Pyro\\.NameServer")
                .nameServer("127.0.0.1", ns.uri().port()).start();
        gateways.add(gateway);
        assertThat(gateway.awaitCurrent(PATIENCE)).isTrue();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> byName = http.send(HttpRequest.newBuilder(URI.create(gateway.httpUrl() + "/pyro/shop.main/whoami")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(byName.statusCode()).isEqualTo(200);
        assertThat(byName.body()).isEqualTo("\"main\"");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(gateway.httpUrl() + "/pyro/hidden.replica/whoami")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("outside the allow-list").isEqualTo(403);
        HttpResponse<String> write = http.send(HttpRequest.newBuilder(URI.create(gateway.httpUrl()
                + "/pyro/Pyro.NameServer/remove?name=shop.main")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).as("the name server's write methods, even when exposed").isEqualTo(403);
        assertThat(ns.registry().lookup("shop.main")).isNotNull();
    }

    @Test
    void callsByNameByTagsAndByAddressGoThrough() throws Exception {
        Gateway gateway = gateway("shop\\.");
        var invoker = stub(gateway);

        assertThat(invoker.invoke(call("PYRONAME:shop.main", "whoami")).getResult().getStrValue()).isEqualTo("main");
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) {
            seen.add(invoker.invoke(call("PYROMETA:role:shop", "whoami")).getResult().getStrValue());
        }
        assertThat(seen).containsExactlyInAnyOrder("replica1", "replica2"); // never the hidden one
        String direct = first.uriFor("shop.main").toString();
        assertThat(invoker.invoke(call(direct, "whoami")).getResult().getStrValue()).isEqualTo("main");

        try (Proxy proxy = new Proxy(PyroURI.direct("PYRONAME:shop.main", "127.0.0.1", gateway.port()), CONFIG)) {
            assertThat(proxy.call("echo", List.of(1L, "x"))).isEqualTo(List.of(1L, "x"));
            try (CloseableIterator<Object> items = proxy.stream("count", 3)) {
                List<Object> all = new ArrayList<>();
                items.forEachRemaining(all::add);
                assertThat(all).containsExactly(1L, 2L, 3L);
            }
        }
    }

    @Test
    void theGatewaysOwnDaemonObjectAnswersAsADaemonDoes() throws Exception {
        Gateway gateway = gateway("shop\\.");
        try (Proxy own = new Proxy(PyroURI.direct(PyroURI.DAEMON_NAME, "127.0.0.1", gateway.port()), CONFIG)) {
            own.call("ping");
            assertThat((String) own.call("info")).startsWith("Pyromesh gateway " + gateway.location() + ", exposing shop\\.")
                    .contains("name server 127.0.0.1:" + ns.uri().port());
            own.call("close_session");
            assertThatThrownBy(() -> own.call("shutdown")).isInstanceOf(SecurityError.class);
        }
        try (Proxy proxy = new Proxy(PyroURI.direct("PYRONAME:shop.main", "127.0.0.1", gateway.port()), CONFIG)) {
            proxy.call("whoami");
        } // closing sends close_session to the gateway's Pyro.Daemon, which answers it
        // one close_session called, and one sent by each proxy as it closed
        Eventually.within(PATIENCE, "the sessions closed", () -> scrape(gateway).contains(
                "pyromesh_calls_seconds_count{hop=\"gateway\",method=\"close_session\",object=\"Pyro.Daemon\",origin=\"target\",rpc=\"Invoke\",status=\"OK\"} 3"));
        assertThat(scrape(gateway)).doesNotContain("INVALID_ARGUMENT");
    }

    private static String scrape(Gateway gateway) {
        try {
            return get(HttpClient.newHttpClient(), gateway.adminUrl() + "/metrics").body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void nothingIsReachableByDefaultAndOnlyExposedNamesAfterwards() throws Exception {
        Gateway closed = gateway();
        ErrorDetail detail = failure(() -> stub(closed).invoke(call("PYRONAME:shop.main", "whoami")), Status.Code.PERMISSION_DENIED);
        assertThat(detail.getType()).isEqualTo("SecurityError");
        assertThat(detail.getMessage()).isEqualTo("access to the requested object has been denied");
        assertThat(detail.getHop()).isEqualTo(closed.hop());

        Gateway gateway = gateway("shop\\.");
        failure(() -> stub(gateway).invoke(call("PYRONAME:hidden.replica", "whoami")), Status.Code.PERMISSION_DENIED);
        failure(() -> stub(gateway).invoke(call(second.uriFor("hidden.replica").toString(), "whoami")), Status.Code.PERMISSION_DENIED);
        failure(() -> stub(gateway).invoke(call("PYRO:shop.main@127.0.0.1:1", "whoami")), Status.Code.PERMISSION_DENIED);
        assertThat(failure(() -> stub(gateway).invoke(call("PYROMETA:role:nothing", "whoami")), Status.Code.NOT_FOUND).getType())
                .isEqualTo("NamingError");
        assertThat(main.calls).hasValue(0);
    }

    @Test
    void theNameServersWriteMethodsAreNeverReachableEvenWhenEverythingIsExposed() throws Exception {
        Gateway gateway = gateway(".*");
        try (Proxy names = new Proxy(PyroURI.direct("PYRONAME:Pyro.NameServer", "127.0.0.1", gateway.port()), CONFIG)) {
            assertThat(names.call("lookup", "shop.main").toString()).isEqualTo(first.uriFor("shop.main").toString());
            assertThat(names.call("count")).isEqualTo(5L);
            assertThatThrownBy(() -> names.call("register", "shop.main", "PYRO:evil@10.6.6.6:1"))
                    .isInstanceOf(SecurityError.class)
                    .hasMessageContaining("write methods are not reachable through the gateway");
            assertThatThrownBy(() -> names.call("remove", "shop.main")).isInstanceOf(SecurityError.class);
            assertThatThrownBy(() -> names.call("set_metadata", "shop.main", Set.of())).isInstanceOf(SecurityError.class);
        }
        BatchRequest sneaky = BatchRequest.newBuilder().setObject("PYRONAME:Pyro.NameServer")
                .addCalls(call("", "lookup", "shop.main")).addCalls(call("", "remove", "shop.main")).build();
        failure(() -> stub(gateway).invokeBatch(sneaky), Status.Code.PERMISSION_DENIED);
        failure(() -> stub(gateway).invoke(call(ns.uri().toString(), "remove", "shop.main")), Status.Code.PERMISSION_DENIED);
        assertThat(ns.registry().lookup("shop.main")).isNotNull();
    }

    @Test
    void badUrisAndUnknownNamesAreTypedErrorsNamingTheGateway() throws Exception {
        Gateway gateway = gateway("shop\\.");
        for (String bad : List.of("shop.main", "", "PYRO:x", "PYRONAME:", "PYRO:x@host:99999", "PYRONAME:a b", "x".repeat(3000))) {
            ErrorDetail detail = failure(() -> stub(gateway).invoke(call(bad, "whoami")), Status.Code.INVALID_ARGUMENT);
            assertThat(detail.getHop()).as(bad).isEqualTo(gateway.hop());
            assertThat(detail.getMessage().length()).isLessThan(400);
        }
        ErrorDetail unknown = failure(() -> stub(gateway).invoke(call("PYRONAME:shop.nope", "whoami")), Status.Code.NOT_FOUND);
        assertThat(unknown.getType()).isEqualTo("NamingError");
        assertThat(unknown.getMessage()).isEqualTo("unknown name: shop.nope");
        assertThat(unknown.getHop()).isEqualTo(gateway.hop());
        try (Proxy proxy = new Proxy(PyroURI.direct("PYRONAME:shop.nope", "127.0.0.1", gateway.port()), CONFIG)) {
            assertThatThrownBy(() -> proxy.call("whoami")).isInstanceOf(NamingError.class)
                    .hasMessage("unknown name: shop.nope (" + gateway.hop() + ")");
        }
        failure(() -> stub(gateway).invoke(call("PYRONAME:shop.main@10.6.6.6:9090", "whoami")), Status.Code.INVALID_ARGUMENT);
        failure(() -> stub(gateway).invoke(call("PYRONAME:shop.main", "echo", new byte[5 << 20])), Status.Code.RESOURCE_EXHAUSTED);
        assertThat(main.calls).hasValue(0);
    }

    @Test
    void healthAndReflectionAnswerAsGrpcurlExpects() throws Exception {
        Gateway gateway = gateway("shop\\.");
        ManagedChannel channel = channels.channel(gateway.location());
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        Reflection reflection = new Reflection(channel);
        assertThat(reflection.services()).contains("pyromesh.v1.Invoker", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");

        // a call built from nothing but the descriptors reflection gave, as grpcurl makes it
        Descriptors.ServiceDescriptor invoker = reflection.service("pyromesh.v1.Invoker");
        Descriptors.MethodDescriptor invoke = invoker.findMethodByName("Invoke");
        Descriptors.Descriptor value = invoke.getInputType().findFieldByName("args").getMessageType();
        DynamicMessage request = DynamicMessage.newBuilder(invoke.getInputType())
                .setField(invoke.getInputType().findFieldByName("object"), "PYRONAME:shop.main")
                .setField(invoke.getInputType().findFieldByName("method"), "echo")
                .addRepeatedField(invoke.getInputType().findFieldByName("args"),
                        DynamicMessage.newBuilder(value).setField(value.findFieldByName("str_value"), "from grpcurl").build())
                .build();
        MethodDescriptor<DynamicMessage, DynamicMessage> method = MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("pyromesh.v1.Invoker/Invoke")
                .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(invoke.getInputType())))
                .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(invoke.getOutputType())))
                .build();
        DynamicMessage response = ClientCalls.blockingUnaryCall(channel, method, CallOptions.DEFAULT, request);
        assertThat(response.toString()).contains("str_value: \"from grpcurl\"");
    }

    @Test
    void drainingSaysNotServingAndLetsCallsInProgressFinish() throws Exception {
        Gateway gateway = gateway("shop\\.");
        main.release = new CountDownLatch(1);
        ManagedChannel channel = channels.channel(gateway.location());
        List<HealthCheckResponse.ServingStatus> watched = new CopyOnWriteArrayList<>();
        io.grpc.Context.CancellableContext watching = io.grpc.Context.current().withCancellation();
        watching.run(() -> HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(), new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(HealthCheckResponse response) {
                watched.add(response.getStatus());
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        }));
        var held = InvokerGrpc.newFutureStub(channel).invoke(call("PYRONAME:shop.main", "hold"));
        Eventually.within(PATIENCE, "health watched", () -> watched.contains(HealthCheckResponse.ServingStatus.SERVING));
        Thread drainer = new Thread(() -> gateway.drain(Duration.ofSeconds(20)));
        drainer.start();
        Eventually.within(PATIENCE, "NOT_SERVING while draining", () -> watched.contains(HealthCheckResponse.ServingStatus.NOT_SERVING));
        watching.cancel(null); // the health watch is a call in progress too, and would hold the drain to its grace
        main.release.countDown();
        assertThat(held.get(10, TimeUnit.SECONDS).getResult().getStrValue()).isEqualTo("released");
        drainer.join(30_000);
        assertThat(drainer.isAlive()).as("the drain ended once the call in progress finished").isFalse();
    }

    @Test
    void theAdminPortServesMetricsHealthAndResolution() throws Exception {
        Gateway gateway = gateway("shop\\.");
        for (int i = 0; i < 3; i++) {
            stub(gateway).invoke(call("PYRONAME:shop.main", "whoami"));
        }
        failure(() -> stub(gateway).invoke(call("PYRONAME:shop.nope", "whoami")), Status.Code.NOT_FOUND);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> metrics = get(http, gateway.adminUrl() + "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .containsPattern("pyromesh_calls_seconds_count\\{hop=\"gateway\",method=\"whoami\",object=\"PYRONAME:shop.main\",origin=\"target\",rpc=\"Invoke\",status=\"OK\"} 3")
                .containsPattern("pyromesh_call_errors_total\\{hop=\"gateway\",origin=\"hop\",status=\"NOT_FOUND\"} 1")
                .contains("pyromesh_calls_seconds_bucket{", "pyromesh_resolution_seconds_bucket{", "pyromesh_streams_open{",
                        "pyromesh_calls_in_flight{", "pyromesh_cache_lookups_total{hop=\"gateway\",result=\"hit\"} 3")
                .contains("pyromesh_cache_lookups_total{hop=\"gateway\",result=\"miss\"} 1");

        assertThat(get(http, gateway.adminUrl() + "/health").body()).isEqualTo("SERVING\n");
        HttpResponse<String> resolved = get(http, gateway.adminUrl() + "/resolve?uri=PYROMETA:role:shop");
        assertThat(resolved.statusCode()).isEqualTo(200);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(resolved.body());
        assertThat(json.get("candidates")).hasSize(2); // the hidden replica is not reachable, so not a candidate
        assertThat(json.get("pick").get("name").asText()).startsWith("shop.");
        assertThat(json.get("cache").get("state").asText()).isEqualTo("LIVE");
        assertThat(json.get("reachable").asBoolean()).isTrue();
        assertThat(get(http, gateway.adminUrl() + "/resolve?uri=not%20a%20uri").statusCode()).isEqualTo(400);
        assertThat(get(http, gateway.adminUrl() + "/resolve").statusCode()).isEqualTo(400);
        assertThat(get(http, gateway.adminUrl() + "/nothing").statusCode()).isEqualTo(404);
        HttpRequest post = HttpRequest.newBuilder(URI.create(gateway.adminUrl() + "/metrics")).POST(HttpRequest.BodyPublishers.noBody()).build();
        assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void logLinesCarryTheCorrelationIdAndTraceId() throws Exception {
        Gateway gateway = gateway("shop\\.");
        Logger calls = Logger.getLogger("io.pyromesh.mesh.calls");
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level before = calls.getLevel();
        calls.setLevel(Level.FINE);
        calls.addHandler(capture);
        try {
            Metadata headers = new Metadata();
            headers.put(Headers.CORRELATION_ID, "0b5e6b4e-8a54-4a8e-9a43-a7c2ad4c1f10");
            headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            stub(gateway).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)).invoke(call("PYRONAME:shop.main", "whoami"));
            Eventually.within(PATIENCE, "a log line", () -> !lines.isEmpty());
            assertThat(lines.get(0)).startsWith(gateway.hop() + ": Invoke PYRONAME:shop.main.whoami -> " + first.uriFor("shop.main"))
                    .contains("OK", "correlation=0b5e6b4e-8a54-4a8e-9a43-a7c2ad4c1f10", "trace=4bf92f3577b34da6a3ce929d0e0e4736");
        } finally {
            calls.removeHandler(capture);
            calls.setLevel(before);
        }
    }

    @Test
    void aTargetThatNeverAnswersDoesNotStallCallsToOthers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // takes connections and never speaks HTTP/2
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ns.registry().register("shop.stuck", "PYRO:shop.stuck@127.0.0.1:" + silent.getLocalPort(), false, List.of(), null);
            Gateway gateway = gateway("shop\\.");
            Eventually.within(PATIENCE, "the stuck name is known", () -> gateway.resolve(PyroURI.parse("PYRONAME:shop.stuck")).refusal().isEmpty());

            var async = InvokerGrpc.newFutureStub(channels.channel(gateway.location())).withDeadlineAfter(60, TimeUnit.SECONDS);
            List<com.google.common.util.concurrent.ListenableFuture<?>> stuck = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                stuck.add(async.invoke(call("PYRONAME:shop.stuck", "whoami")));
            }
            var invoker = stub(gateway).withDeadlineAfter(30, TimeUnit.SECONDS);
            for (int i = 0; i < 50; i++) {
                assertThat(invoker.invoke(call("PYRONAME:shop.main", "whoami")).getResult().getStrValue()).isEqualTo("main");
            }
            assertThat(stuck).noneMatch(java.util.concurrent.Future::isDone);
            stuck.forEach(future -> future.cancel(true));
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }
}
