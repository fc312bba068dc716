package io.pyromesh.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.mesh.routing.ChannelPool;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.server.Daemon;
import io.pyromesh.testing.Eventually;
import io.pyromesh.values.ValueCodec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A slow consumer holds the producer back through a hop: the hop does not buffer the stream. */
class FlowControlTest {
    private static final PyroConfig CONFIG = PyroConfig.defaults().with("HOST", "127.0.0.1");
    private static final int CHUNK = 64 * 1024;

    @Test
    void aConsumerThatStopsReadingStopsTheProducerBehindTheHop() {
        ForwarderTest.Shop shop = new ForwarderTest.Shop();
        try (Daemon daemon = Daemon.builder().config(CONFIG).build();
                ChannelPool channels = new ChannelPool(CONFIG)) {
            daemon.register(shop, "shop");
            try (HopServer hop = HopServer.builder("test-hop").config(CONFIG)
                    .route(call -> Target.of(channels.channel(daemon.location()), call.object(), "daemon")).start()) {
                List<Integer> received = new CopyOnWriteArrayList<>();
                ClientCall<InvokeRequest, InvokeResponse> call = channels.channel(hop.location())
                        .newCall(InvokerGrpc.getInvokeStreamMethod(), CallOptions.DEFAULT);
                call.start(new ClientCall.Listener<>() {
                    @Override
                    public void onMessage(InvokeResponse response) {
                        received.add(ByteBuffer.wrap(response.getResult().getBytesValue().toByteArray()).getInt());
                    }

                    @Override
                    public void onClose(Status status, Metadata trailers) {}
                }, new Metadata());
                call.sendMessage(InvokeRequest.newBuilder().setObject("shop").setMethod("chunks")
                        .addArgs(ValueCodec.standard().encode(CHUNK)).build());
                call.halfClose();
                call.request(1);

                Eventually.within(Duration.ofSeconds(10), "the first item", () -> received.size() == 1);
                int stalledAt = awaitStall(shop);
                // what HTTP/2 lets sit in the two connections' windows (1 MiB each by default), plus a few
                // items in transit: a hop that buffered would have let the endless generator run on
                assertThat(stalledAt).isLessThan(3 * (1 << 20) / CHUNK + 16);

                call.request(200);
                Eventually.within(Duration.ofSeconds(30), "200 more items", () -> received.size() == 201);
                for (int i = 0; i < received.size(); i++) {
                    assertThat(received.get(i)).isEqualTo(i + 1);
                }
                call.cancel("done", null);
                Eventually.within(Duration.ofSeconds(10), "the stream closed at the daemon", shop.closed::get);
            }
        }
    }

    /** Waits until the producer made nothing new for half a second; returns how many items it made. */
    private static int awaitStall(ForwarderTest.Shop shop) {
        int last = -1;
        long quietSince = System.nanoTime();
        while (true) {
            int now = shop.produced.get();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > 500_000_000L) {
                return now;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            if (now > 10_000) {
                throw new AssertionError("the producer ran on without its consumer: " + now + " items");
            }
        }
    }
}
