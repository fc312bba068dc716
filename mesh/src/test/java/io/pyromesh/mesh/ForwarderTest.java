package io.pyromesh.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.StringValue;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.pyromesh.client.CloseableIterator;
import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.NamingError;
import io.pyromesh.errors.RemoteException;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.internal.Headers;
import io.pyromesh.mesh.routing.ChannelPool;
import io.pyromesh.mesh.testing.RecordingApp;
import io.pyromesh.proto.v1.Annotations;
import io.pyromesh.proto.v1.BatchRequest;
import io.pyromesh.proto.v1.BatchResponse;
import io.pyromesh.proto.v1.ErrorDetail;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.server.Daemon;
import io.pyromesh.server.Expose;
import io.pyromesh.testing.Eventually;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.values.ValueCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hop between a caller and an app: everything the caller sends and the app answers passes unchanged,
 * and what fails at the hop says so.
 */
class ForwarderTest {
    private static final ValueCodec VALUES = ValueCodec.standard();
    private static final PyroConfig CONFIG = PyroConfig.defaults().with("HOST", "127.0.0.1");

    private final RecordingApp app = new RecordingApp();
    private final ChannelPool channels = new ChannelPool(CONFIG);
    /** Sends "via.X" to the app as "X", anything else as it is. */
    private volatile Route route = call -> Target.of(channels.channel(app.target()),
            call.object().startsWith("via.") ? call.object().substring(4) : call.object(), "app " + app.target());
    private final HopServer hop = HopServer.builder("test-hop").config(CONFIG).route(call -> route.route(call)).start();
    private final ManagedChannel caller = channels.channel(hop.location());

    @AfterEach
    void stop() {
        hop.close();
        channels.close();
        app.close();
    }

    private static InvokeRequest request(String object, String method, Object... args) {
        InvokeRequest.Builder request = InvokeRequest.newBuilder().setObject(object).setMethod(method);
        for (Object arg : args) {
            request.addArgs(VALUES.encode(arg));
        }
        return request.build();
    }

    @Test
    void aCallReachesTheAppWithItsObjectRewrittenAndItsArgumentsUntouched() {
        InvokeRequest sent = request("via.shop", "echo", Map.of("k", List.of(1L, 2.5, "x")), new byte[] {0, 1, 2});
        InvokeResponse response = InvokerGrpc.newBlockingStub(caller).invoke(sent);

        assertThat(app.lastRequest().getObject()).isEqualTo("shop");
        assertThat(app.lastRequest().toBuilder().setObject("via.shop").build()).isEqualTo(sent);
        assertThat(VALUES.decode(response.getResult())).isEqualTo(Map.of("k", List.of(1L, 2.5, "x")));
    }

    @Test
    void headersReachTheAppUnchangedAndACorrelationIdIsMadeWhenMissing() {
        Metadata headers = new Metadata();
        String correlation = "0b5e6b4e-8a54-4a8e-9a43-a7c2ad4c1f10";
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Metadata.Key<String> custom = Metadata.Key.of("x-app-thing", Metadata.ASCII_STRING_MARSHALLER);
        Metadata.Key<byte[]> binary = Metadata.Key.of("x-app-blob-bin", Metadata.BINARY_BYTE_MARSHALLER);
        Metadata.Key<String> traceState = Metadata.Key.of("tracestate", Metadata.ASCII_STRING_MARSHALLER);
        Annotations annotations = Annotations.newBuilder().putEntries("XYZZ", ByteString.copyFromUtf8("hello")).build();
        headers.put(Headers.CORRELATION_ID, correlation);
        headers.put(Headers.ANNOTATIONS, annotations);
        headers.put(Headers.SESSION, "session-7");
        headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER), traceparent);
        headers.put(traceState, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        headers.put(custom, "one");
        headers.put(custom, "two");
        headers.put(binary, new byte[] {(byte) 0xff, 0, 7});

        InvokerGrpc.newBlockingStub(caller).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .invoke(request("shop", "echo", "hi"));

        Metadata received = app.lastHeaders();
        assertThat(received.get(Headers.CORRELATION_ID)).isEqualTo(correlation);
        assertThat(received.get(Headers.ANNOTATIONS)).isEqualTo(annotations);
        assertThat(received.get(Headers.SESSION)).isEqualTo("session-7");
        assertThat(received.get(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo(traceparent);
        assertThat(received.get(traceState)).isEqualTo("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE");
        assertThat(received.getAll(custom)).containsExactly("one", "two");
        assertThat(received.get(binary)).containsExactly((byte) 0xff, 0, 7);

        InvokerGrpc.newBlockingStub(caller).invoke(request("shop", "echo", "hi"));
        assertThat(app.lastHeaders().get(Headers.CORRELATION_ID)).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void theAppsOwnStatusMessageDetailsAndTrailersReachTheCallerUnchanged() {
        com.google.rpc.Status rich = com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.FAILED_PRECONDITION.value())
                .setMessage("the cart is locked")
                .addDetails(Any.pack(StringValue.of("cart 42")))
                .build();
        Metadata.Key<String> custom = Metadata.Key.of("x-app-trailer", Metadata.ASCII_STRING_MARSHALLER);
        ErrorDetail appsOwn = ErrorDetail.newBuilder().setType("NamingError").setMessage("from the app").build();
        app.behave((request, out) -> {
            Metadata trailers = new Metadata();
            trailers.put(custom, "kept");
            trailers.put(GrpcErrors.ERROR_DETAIL, appsOwn);
            StatusRuntimeException failure = StatusProto.toStatusRuntimeException(rich, trailers);
            out.onError(failure);
        });

        assertThatThrownBy(() -> InvokerGrpc.newBlockingStub(caller).invoke(request("shop", "buy")))
                .isInstanceOfSatisfying(StatusRuntimeException.class, failure -> {
                    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(failure.getStatus().getDescription()).isEqualTo("the cart is locked");
                    assertThat(StatusProto.fromThrowable(failure)).isEqualTo(rich);
                    assertThat(failure.getTrailers().get(custom)).isEqualTo("kept");
                    assertThat(failure.getTrailers().get(GrpcErrors.ERROR_DETAIL)).isEqualTo(appsOwn);
                });
    }

    @Test
    void aRouteRefusalNamesTheHop() {
        route = call -> {
            throw new NamingError("unknown name: " + call.object());
        };
        assertThatThrownBy(() -> InvokerGrpc.newBlockingStub(caller).invoke(request("nowhere", "echo", 1L)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, failure -> {
                    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    ErrorDetail detail = failure.getTrailers().get(GrpcErrors.ERROR_DETAIL);
                    assertThat(detail.getType()).isEqualTo("NamingError");
                    assertThat(detail.getMessage()).isEqualTo("unknown name: nowhere");
                    assertThat(detail.getHop()).isEqualTo(hop.hop()).startsWith("test-hop 127.0.0.1:");
                });
        assertThat(app.calls()).isZero();
    }

    @Test
    void anUnreachableTargetIsAHopErrorWhileTheDaemonsOwnErrorsAreNot() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        route = call -> Target.of(channels.channel("127.0.0.1:" + closedPort), call.object(), "PYRO:x@127.0.0.1:" + closedPort);
        try (Proxy proxy = new Proxy(PyroURI.direct("x", "127.0.0.1", hop.port()), CONFIG)) {
            assertThatThrownBy(() -> proxy.call("echo", 1))
                    .isInstanceOf(CommunicationError.class)
                    .hasMessageContaining("PYRO:x@127.0.0.1:" + closedPort)
                    .hasMessageEndingWith("(" + hop.hop() + ")");
        }

        try (Daemon daemon = Daemon.builder().config(CONFIG).build()) {
            route = call -> Target.of(channels.channel(daemon.location()), call.object(), "daemon");
            assertThatThrownBy(() -> InvokerGrpc.newBlockingStub(caller).invoke(request("no.such.object", "echo", 1L)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, failure -> {
                        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                        ErrorDetail detail = failure.getTrailers().get(GrpcErrors.ERROR_DETAIL);
                        assertThat(detail.getType()).isEqualTo("DaemonError");
                        assertThat(detail.getHop()).isEmpty();
                        assertThat(failure.getTrailers().get(Headers.CORRELATION_ID)).isNotNull();
                    });
        }
    }

    @Expose
    public static class Shop {
        public final AtomicInteger produced = new AtomicInteger();
        public final AtomicBoolean closed = new AtomicBoolean();

        public Object echo(Object value) {
            return value;
        }

        public void fail(String why) {
            throw new IllegalStateException(why);
        }

        public Iterator<byte[]> chunks(int size) {
            return new CloseableChunks(size);
        }

        /** An endless stream of {@code size}-byte items that counts what it made and notices being closed. */
        final class CloseableChunks implements Iterator<byte[]>, AutoCloseable {
            private final int size;

            CloseableChunks(int size) {
                this.size = size;
            }

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public byte[] next() {
                byte[] chunk = new byte[size];
                java.nio.ByteBuffer.wrap(chunk).putInt(produced.incrementAndGet());
                return chunk;
            }

            @Override
            public void close() {
                closed.set(true);
            }
        }
    }

    @Test
    void aDaemonOnAUnixSocketIsReachedThroughTheHopsPool(@TempDir Path directory) {
        Shop shop = new Shop();
        try (Daemon daemon = Daemon.builder().config(CONFIG).unixSocket(directory.resolve("shop.sock").toString()).build()) {
            PyroURI shopUri = daemon.register(shop, "shop");
            assertThat(shopUri.grpcTarget()).startsWith("unix:");
            route = call -> Target.of(channels.channel(shopUri.grpcTarget()), call.object(), "daemon " + shopUri);
            try (Proxy proxy = new Proxy(PyroURI.direct("shop", "127.0.0.1", hop.port()), CONFIG)) {
                assertThat(proxy.call("echo", "over a unix socket")).isEqualTo("over a unix socket");
                try (CloseableIterator<Object> chunks = proxy.stream("chunks", 16)) {
                    for (int i = 1; i <= 3; i++) {
                        assertThat(java.nio.ByteBuffer.wrap((byte[]) chunks.next()).getInt()).isEqualTo(i);
                    }
                }
            }
        }
    }

    @Test
    void aDaemonBehindTheHopWorksForProxiesAsIfDirect() {
        Shop shop = new Shop();
        try (Daemon daemon = Daemon.builder().config(CONFIG).build()) {
            daemon.register(shop, "shop");
            route = call -> Target.of(channels.channel(daemon.location()), call.object(), "daemon " + daemon.location());
            try (Proxy proxy = new Proxy(PyroURI.direct("shop", "127.0.0.1", hop.port()), CONFIG)) {
                assertThat(proxy.call("echo", List.of(1L, "two"))).isEqualTo(List.of(1L, "two"));
                assertThat(proxy.metadata().methods()).contains("echo", "fail", "chunks");
                assertThatThrownBy(() -> proxy.call("fail", "out of stock"))
                        .isInstanceOfSatisfying(RemoteException.class, remote -> {
                            assertThat(remote.getRemoteType()).isEqualTo("java.lang.IllegalStateException");
                            assertThat(remote.getMessage()).contains("out of stock");
                            assertThat(remote.getRemoteTraceback()).contains("Shop.fail");
                        });
                Iterator<Object> batched = proxy.batch().call("echo", 1L).call("echo", "b").execute();
                assertThat(batched).toIterable().containsExactly(1L, "b");
                try (CloseableIterator<Object> chunks = proxy.stream("chunks", 16)) {
                    for (int i = 1; i <= 3; i++) {
                        assertThat(java.nio.ByteBuffer.wrap((byte[]) chunks.next()).getInt()).isEqualTo(i);
                    }
                }
            }
            Eventually.within(Duration.ofSeconds(10), "the stream closed at the daemon", shop.closed::get);
        }
    }

    @Test
    void aBatchShowsItsMethodsToTheRoute() {
        List<List<String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Route original = route;
        route = call -> {
            seen.add(call.batchMethods());
            return original.route(call);
        };
        BatchRequest batch = BatchRequest.newBuilder().setObject("shop")
                .addCalls(request("", "first", 1L)).addCalls(request("", "second", 2L)).build();
        BatchResponse response = InvokerGrpc.newBlockingStub(caller).invokeBatch(batch);

        assertThat(seen).containsExactly(List.of("first", "second"));
        assertThat(response.getResultsCount()).isEqualTo(2);
        assertThat(app.lastBatch()).isEqualTo(batch);
    }

    @Test
    void theCallersDeadlineReachesTheApp() {
        InvokerGrpc.newBlockingStub(caller).withDeadlineAfter(30, TimeUnit.SECONDS).invoke(request("shop", "echo", 1L));
        assertThat(app.lastDeadline()).isNotNull();
        assertThat(app.lastDeadline().timeRemaining(TimeUnit.SECONDS)).isBetween(20L, 30L);

        app.behave((request, out) -> { /* never answers */ });
        assertThatThrownBy(() -> InvokerGrpc.newBlockingStub(caller).withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                .invoke(request("shop", "hang")))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        failure -> assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    }

    @Test
    void aCancelledCallIsCancelledAtTheApp() throws Exception {
        app.behave((request, out) -> { /* never answers */ });
        ClientCall<InvokeRequest, InvokeResponse> call = caller.newCall(InvokerGrpc.getInvokeStreamMethod(), CallOptions.DEFAULT);
        Iterator<InvokeResponse> responses = ClientCalls.blockingServerStreamingCall(call, request("shop", "forever"));
        Eventually.within(Duration.ofSeconds(10), "the call reached the app", () -> app.calls() == 1);
        call.cancel("changed my mind", null);

        assertThat(app.awaitCancellation(10)).isTrue();
        assertThatThrownBy(responses::hasNext).isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void aMalformedRequestIsRefusedAtTheHop() {
        io.grpc.MethodDescriptor<byte[], byte[]> raw = InvokerGrpc.getInvokeMethod().toBuilder(RawBytes.MARSHALLER, RawBytes.MARSHALLER).build();
        byte[] garbage = {0x0a, (byte) 0xff, 0x01, 0x02};
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(caller, raw, CallOptions.DEFAULT, garbage))
                .isInstanceOfSatisfying(StatusRuntimeException.class, failure -> {
                    assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    ErrorDetail detail = failure.getTrailers().get(GrpcErrors.ERROR_DETAIL);
                    assertThat(detail.getType()).isEqualTo("SerializeError");
                    assertThat(detail.getMessage()).startsWith("malformed request");
                    assertThat(detail.getHop()).isEqualTo(hop.hop());
                });
        assertThat(app.calls()).isZero();
    }
}
