package io.pyromesh.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.mesh.routing.ChannelPool;
import io.pyromesh.mesh.testing.RecordingApp;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.values.ValueCodec;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A call goes to another target only when its request never left the hop; a call never runs twice. */
class FailoverTest {
    private static final PyroConfig CONFIG = PyroConfig.defaults().with("HOST", "127.0.0.1");
    private static final InvokeRequest ECHO = InvokeRequest.newBuilder().setObject("shop").setMethod("echo")
            .addArgs(ValueCodec.standard().encode("once")).build();

    private final ChannelPool channels = new ChannelPool(CONFIG);
    private final RecordingApp first = new RecordingApp();
    private final RecordingApp second = new RecordingApp();
    private final List<String> finished = new CopyOnWriteArrayList<>();
    private final AtomicInteger failoversAsked = new AtomicInteger();

    @AfterEach
    void stop() {
        channels.close();
        first.close();
        second.close();
    }

    /** A target that records how its attempt ended and offers {@code next} as a failover. */
    private Target target(String where, Target next) {
        Channel channel = channels.channel(where);
        return new Target() {
            @Override
            public Channel channel() {
                return channel;
            }

            @Override
            public String objectId() {
                return "shop";
            }

            @Override
            public String describe() {
                return where;
            }

            @Override
            public void finished(Status status, boolean delivered) {
                finished.add(where + " " + status.getCode() + (delivered ? " delivered" : " not delivered"));
            }

            @Override
            public Target failover() {
                failoversAsked.incrementAndGet();
                return next;
            }
        };
    }

    private static String closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "127.0.0.1:" + socket.getLocalPort();
        }
    }

    @Test
    void aRefusedConnectionFailsOverToTheNextTarget() throws Exception {
        String dead = closedPort();
        try (HopServer hop = HopServer.builder("test-hop").config(CONFIG)
                .route(call -> target(dead, target(first.target(), null))).start()) {
            var reply = InvokerGrpc.newBlockingStub(channels.channel(hop.location())).invoke(ECHO);

            assertThat(reply.getResult().getStrValue()).isEqualTo("once");
            assertThat(first.calls()).isEqualTo(1);
            assertThat(finished).containsExactly(dead + " UNAVAILABLE not delivered", first.target() + " OK delivered");
        }
    }

    @Test
    void aTargetThatDiesWhileRunningTheCallIsNotAskedAgainNorIsAnother() {
        first.behave((request, out) -> new Thread(first::kill).start()); // takes the call, then dies
        try (HopServer hop = HopServer.builder("test-hop").config(CONFIG)
                .route(call -> target(first.target(), target(second.target(), null))).start()) {
            assertThatThrownBy(() -> InvokerGrpc.newBlockingStub(channels.channel(hop.location())).invoke(ECHO))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            failure -> assertThat(failure.getStatus().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.CANCELLED));

            assertThat(first.calls()).isEqualTo(1);
            assertThat(second.calls()).isZero();
            assertThat(failoversAsked).hasValue(0);
            assertThat(finished).hasSize(1).allMatch(line -> line.endsWith(" delivered") && !line.endsWith("not delivered"));
        }
    }
}
