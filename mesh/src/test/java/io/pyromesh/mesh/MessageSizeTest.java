package io.pyromesh.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.mesh.routing.ChannelPool;
import io.pyromesh.mesh.testing.RecordingApp;
import io.pyromesh.proto.v1.ErrorDetail;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.server.Daemon;
import io.pyromesh.uri.PyroURI;
import org.junit.jupiter.api.Test;

/** One MAX_MESSAGE_SIZE on every hop: raising it raises it everywhere, and a hop has no smaller limit. */
class MessageSizeTest {
    private static final int MIB = 1 << 20;

    private static PyroConfig withLimit(int bytes) {
        return PyroConfig.defaults().with("HOST", "127.0.0.1").with("MAX_MESSAGE_SIZE", bytes);
    }

    private static InvokeRequest carrying(int bytes) {
        return InvokeRequest.newBuilder().setObject("shop").setMethod("echo")
                .addArgs(Value.newBuilder().setBytesValue(ByteString.copyFrom(new byte[bytes]))).build();
    }

    @Test
    void aRaisedLimitCarriesTenMebibytesThroughTheHopBothWays() {
        PyroConfig config = withLimit(16 * MIB);
        try (Daemon daemon = Daemon.builder().config(config).build(); ChannelPool channels = new ChannelPool(config)) {
            daemon.register(new ForwarderTest.Shop(), "shop");
            try (HopServer hop = HopServer.builder("test-hop").config(config)
                    .route(call -> Target.of(channels.channel(daemon.location()), call.object(), "daemon")).start();
                    Proxy proxy = new Proxy(PyroURI.direct("shop", "127.0.0.1", hop.port()), config)) {
                byte[] payload = new byte[10 * MIB];
                payload[payload.length - 1] = 42;
                assertThat((byte[]) proxy.call("echo", (Object) payload)).isEqualTo(payload);
            }
        }
    }

    @Test
    void aRequestOverTheLimitStopsAtTheHop() {
        PyroConfig config = withLimit(MIB);
        try (RecordingApp app = new RecordingApp(); ChannelPool channels = new ChannelPool(config);
                HopServer hop = HopServer.builder("test-hop").config(config)
                        .route(call -> Target.of(channels.channel(app.target()), call.object(), "app")).start()) {
            assertThatThrownBy(() -> InvokerGrpc.newBlockingStub(channels.channel(hop.location())).invoke(carrying(MIB + 100)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, failure -> {
                        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        ErrorDetail detail = failure.getTrailers().get(GrpcErrors.ERROR_DETAIL);
                        assertThat(detail.getType()).isEqualTo("MessageTooLargeError");
                        assertThat(detail.getHop()).isEqualTo(hop.hop());
                    });
            // far over the limit, gRPC's transport refuses it before it is read at all
            assertThatThrownBy(() -> InvokerGrpc.newBlockingStub(channels.channel(hop.location())).invoke(carrying(2 * MIB)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            failure -> assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
            assertThat(app.calls()).isZero();
        }
    }

    @Test
    void aResponseOverTheLimitIsRefusedByTheHopWhichSaysSo() {
        PyroConfig config = withLimit(MIB);
        try (RecordingApp app = new RecordingApp(); ChannelPool channels = new ChannelPool(config);
                HopServer hop = HopServer.builder("test-hop").config(config)
                        .route(call -> Target.of(channels.channel(app.target()), call.object(), "app " + app.target())).start()) {
            app.behave((request, out) -> {
                out.onNext(InvokeResponse.newBuilder().setResult(carrying(2 * MIB).getArgs(0)).build());
                out.onCompleted();
            });
            assertThatThrownBy(() -> InvokerGrpc.newBlockingStub(channels.channel(hop.location())).invoke(carrying(10)))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, failure -> {
                        assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        ErrorDetail detail = failure.getTrailers().get(GrpcErrors.ERROR_DETAIL);
                        assertThat(detail.getType()).isEqualTo("MessageTooLargeError");
                        assertThat(detail.getHop()).isEqualTo(hop.hop());
                    });
        }
    }
}
