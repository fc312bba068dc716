package io.pyromesh.client;

import static io.pyromesh.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.pyromesh.Pyro;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.ProtocolError;
import io.pyromesh.errors.RemoteException;
import io.pyromesh.errors.SecurityError;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.errors.TimeoutError;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.MetadataRequest;
import io.pyromesh.proto.v1.ObjectMetadata;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.server.Daemon;
import io.pyromesh.server.Expose;
import io.pyromesh.uri.PyroURI;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Asynchronous calls from the client's side: futures and publishers that hold no thread while they wait. */
class AsyncProxyTest {
    public static class OutOfStockException extends Exception {
        public OutOfStockException(String message) {
            super(message);
        }
    }

    /** The object, with blocking and asynchronous methods. */
    @Expose
    public static class Shop {
        final AtomicLong produced = new AtomicLong();
        final AtomicBoolean streamClosed = new AtomicBoolean();
        final AtomicLong attempts = new AtomicLong();
        private final CompletableFuture<Void> allArrived = new CompletableFuture<>();
        private volatile String label = "plain";
        private int holding;

        public long add(long a, long b) {
            return a + b;
        }

        public long add(long a, long b, long c) {
            return a + b + c;
        }

        public String take(String item) throws OutOfStockException {
            throw new OutOfStockException("no " + item + " in stock");
        }

        public String sleep(double seconds) throws InterruptedException {
            Thread.sleep((long) (seconds * 1000));
            return "awake";
        }

        /** Slow on the first call only, as a server that hiccups once. */
        public String slowOnce() throws InterruptedException {
            if (attempts.incrementAndGet() == 1) {
                Thread.sleep(2000);
            }
            return "attempt " + attempts.get();
        }

        /** Answers none of {@code count} calls until all of them have arrived. */
        public synchronized CompletableFuture<Long> hold(long i, int count) {
            CompletableFuture<Long> answer = allArrived.thenApply(ignored -> i);
            if (++holding == count) {
                allArrived.complete(null);
            }
            return answer;
        }

        /** Endless, counting what it produced: 1 KiB items, so that the transport's window holds a known few. */
        public Iterator<String> forever() {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public String next() {
                    return "x".repeat(1024) + produced.incrementAndGet();
                }
            };
        }

        public Stream<Integer> count(int to) {
            return IntStream.range(0, to).boxed().onClose(() -> streamClosed.set(true));
        }

        public Iterator<Integer> failAfter(int items) {
            return IntStream.rangeClosed(0, items).mapToObj(i -> {
                if (i == items) {
                    throw new IllegalStateException("ran out after " + items);
                }
                return i;
            }).iterator();
        }

        public Stream<Integer> slowly() {
            return IntStream.range(0, 1000).boxed().peek(i -> pause(i == 0 ? 0 : 2000));
        }

        public String getLabel() {
            return label;
        }

        public void setLabel(String label) {
            this.label = label;
        }

        private static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The same object, asynchronously. */
    public interface AsyncShop {
        CompletableFuture<Long> add(long a, long b);

        CompletionStage<Long> add(long a, long b, long c);

        CompletableFuture<String> take(String item) throws OutOfStockException;

        CompletableFuture<String> getLabel();

        CompletableFuture<Void> setLabel(String label);

        Flow.Publisher<Integer> count(int to);

        CompletableFuture<String> sleep(double seconds);
    }

    private Daemon daemon;
    private Shop shop;
    private PyroURI uri;

    @BeforeEach
    void startDaemon() {
        daemon = new Daemon("127.0.0.1", 0);
        shop = new Shop();
        uri = daemon.register(shop, "shop");
    }

    @AfterEach
    void stopDaemon() {
        daemon.shutdown();
    }

    @Test
    void callAsyncCompletesWithTheResult() throws Exception {
        try (Proxy proxy = new Proxy(uri)) {
            CompletableFuture<Object> sum = proxy.callAsync("add", 2, 3);
            assertThat(sum.get(10, TimeUnit.SECONDS)).isEqualTo(5L);
        }
    }

    @Test
    void typedProxiesReturnFuturesAndStages() throws Exception {
        AsyncShop api = Pyro.proxy(uri, AsyncShop.class);
        assertThat(api.add(20, 22).get(10, TimeUnit.SECONDS)).isEqualTo(42L);
        assertThat(api.add(1, 2, 3).toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(6L);
        api.setLabel("shiny").get(10, TimeUnit.SECONDS);
        assertThat(api.getLabel().get(10, TimeUnit.SECONDS)).isEqualTo("shiny");
        ((RemoteObject) api).close();
    }

    @Test
    @Timeout(120)
    void oneThreadKeepsTenThousandCallsInFlight() throws Exception {
        int calls = 10_000;
        try (Proxy proxy = new Proxy(uri)) {
            List<CompletableFuture<Object>> answers = new ArrayList<>(calls);
            for (long i = 0; i < calls; i++) {
                answers.add(proxy.callAsync("hold", i, calls)); // the daemon answers none before all have arrived
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(100, TimeUnit.SECONDS);
            for (int i = 0; i < calls; i++) {
                assertThat(answers.get(i).join()).isEqualTo((long) i);
            }
        }
    }

    @Test
    void futuresFailWithTheExceptionsBlockingCallsThrow() {
        try (Proxy proxy = new Proxy(uri)) {
            assertFailsWith(proxy.callAsync("take", "piano"), RemoteException.class, "no piano in stock");
            assertFailsWith(proxy.callAsync("nonexistent"), SecurityError.class,
                    "remote object '" + uri + "' has no exposed attribute or method 'nonexistent'");
            assertFailsWith(proxy.callAsync("add", new Object()), SerializeError.class, "");
            assertFailsWith(proxy.callAsync("count", 3), ProtocolError.class, "method 'count' returns a stream: call it with streamAsync");
            proxy.setTimeout(Duration.ofMillis(200));
            assertFailsWith(proxy.callAsync("sleep", 3.0), TimeoutError.class, "");
        }
    }

    @Test
    void aTypedFutureFailsWithTheDeclaredExceptionType() {
        AsyncShop api = Pyro.proxy(uri, AsyncShop.class);
        assertThatThrownBy(() -> api.take("piano").get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(OutOfStockException.class).hasMessage("no piano in stock")
                .cause().isInstanceOf(RemoteException.class);
    }

    @Test
    void aGoneDaemonFailsTheFutureWithACommunicationError() {
        try (Proxy proxy = new Proxy(uri)) {
            proxy.bind();
            daemon.shutdown();
            proxy.setTimeout(Duration.ofSeconds(2));
            assertFailsWith(proxy.callAsync("add", 1, 1), CommunicationError.class, "");
        }
        try (Proxy never = new Proxy(uri)) {
            assertFailsWith(never.callAsync("add", 1, 1), CommunicationError.class, "cannot connect to 127.0.0.1:" + uri.port());
        }
    }

    @Test
    void maxRetriesResendsAnAsyncCallThatTimedOut() throws Exception {
        try (Proxy proxy = new Proxy(uri)) {
            proxy.setTimeout(Duration.ofMillis(300));
            proxy.setMaxRetries(1);
            assertThat(proxy.callAsync("slowOnce").get(10, TimeUnit.SECONDS)).isEqualTo("attempt 2");
        }
    }

    @Test
    void cancellingAFutureCancelsTheCall() throws Exception {
        try (Proxy proxy = new Proxy(uri)) {
            CompletableFuture<Object> sleeping = proxy.callAsync("sleep", 30.0);
            sleeping.cancel(true);
            assertThat(sleeping).isCancelled();
            assertThat(proxy.callAsync("add", 1, 2).get(10, TimeUnit.SECONDS)).isEqualTo(3L);
        }
    }

    @Test
    @Timeout(30)
    void theFirstAsyncCallBindsWithoutBlockingItsCaller() throws Exception {
        CountDownLatch metadataAsked = new CountDownLatch(1);
        CountDownLatch answerMetadata = new CountDownLatch(1);
        Server gated = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new InvokerGrpc.InvokerImplBase() {
                    @Override
                    public void getMetadata(MetadataRequest request, StreamObserver<ObjectMetadata> out) {
                        metadataAsked.countDown();
                        try {
                            answerMetadata.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        out.onNext(ObjectMetadata.newBuilder().addMethods("hello").build());
                        out.onCompleted();
                    }

                    @Override
                    public void invoke(InvokeRequest request, StreamObserver<InvokeResponse> out) {
                        out.onNext(InvokeResponse.newBuilder().setResult(Value.newBuilder().setStrValue("hi")).build());
                        out.onCompleted();
                    }
                })
                .build().start();
        try (Proxy proxy = new Proxy(PyroURI.direct("gated", "127.0.0.1", gated.getPort()))) {
            CompletableFuture<Object> hello = proxy.callAsync("hello"); // returns while the daemon holds GetMetadata
            assertThat(metadataAsked.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(hello).isNotDone();
            answerMetadata.countDown();
            assertThat(hello.get(10, TimeUnit.SECONDS)).isEqualTo("hi");
        } finally {
            gated.shutdownNow();
        }
    }

    @Test
    void batchesRunAsynchronouslyToo() throws Exception {
        try (Proxy proxy = new Proxy(uri)) {
            Iterator<Object> results = proxy.batch().call("add", 1, 1).call("take", "hat").executeAsync().get(10, TimeUnit.SECONDS);
            assertThat(results.next()).isEqualTo(2L);
            assertThatThrownBy(results::next).isInstanceOf(RemoteException.class).hasMessage("no hat in stock");
        }
    }

    @Test
    void aPublisherDeliversTheItemsAsRequested() {
        try (Proxy proxy = new Proxy(uri)) {
            Collector collector = new Collector();
            proxy.streamAsync("count", 5).subscribe(collector);
            collector.request(2);
            assertThat(collector.next()).isEqualTo(0L);
            assertThat(collector.next()).isEqualTo(1L);
            collector.request(Long.MAX_VALUE);
            assertThat(List.of(collector.next(), collector.next(), collector.next())).containsExactly(2L, 3L, 4L);
            assertThat(collector.next()).isEqualTo(Collector.COMPLETE);
        }
        AsyncShop api = Pyro.proxy(uri, AsyncShop.class);
        Collector typed = new Collector();
        api.count(2).subscribe(typed);
        typed.request(10);
        assertThat(List.of(typed.next(), typed.next(), typed.next())).containsExactly(0, 1, Collector.COMPLETE);
    }

    @Test
    void aPublishersDemandHoldsBackAnEndlessGenerator() throws Exception {
        try (Proxy proxy = new Proxy(uri)) {
            Collector collector = new Collector();
            proxy.streamAsync("forever").subscribe(collector);
            collector.request(3);
            for (int i = 1; i <= 3; i++) {
                assertThat((String) collector.next()).endsWith(String.valueOf(i));
            }
            long producedThen = settledCount(shop.produced);
            // beyond the three asked for, it produced what the transport's flow-control window holds
            // (gRPC's is 1 MiB: about a thousand of these items), and then stopped
            assertThat(producedThen).isLessThan(5_000);
            Thread.sleep(500);
            assertThat(shop.produced.get()).isEqualTo(producedThen);
            collector.request(2);
            assertThat((String) collector.next()).endsWith("4");
            assertThat((String) collector.next()).endsWith("5");
            collector.subscription.cancel();
        }
    }

    @Test
    void cancellingASubscriptionStopsTheStreamOnTheDaemon() {
        try (Proxy proxy = new Proxy(uri)) {
            Collector collector = new Collector();
            proxy.streamAsync("count", 1_000_000).subscribe(collector);
            collector.request(1);
            assertThat(collector.next()).isEqualTo(0L);
            collector.subscription.cancel();
            awaitTrue(shop.streamClosed::get);
        }
    }

    @Test
    void aPublisherFailsAsABlockingStreamWould() {
        try (Proxy proxy = new Proxy(uri)) {
            Collector remote = new Collector();
            proxy.streamAsync("failAfter", 2).subscribe(remote);
            remote.request(10);
            assertThat(List.of(remote.next(), remote.next())).containsExactly(0L, 1L);
            assertThat(remote.next()).isInstanceOfSatisfying(RemoteException.class,
                    e -> assertThat(e).hasMessage("ran out after 2"));

            Collector unknown = new Collector();
            proxy.streamAsync("nonexistent").subscribe(unknown);
            assertThat(unknown.next()).isInstanceOf(SecurityError.class);

            assertThatThrownBy(() -> proxy.streamAsync("count", 1).subscribe(null)).isInstanceOf(NullPointerException.class);

            Collector illegal = new Collector();
            proxy.streamAsync("count", 10).subscribe(illegal);
            illegal.request(1);
            assertThat(illegal.next()).isEqualTo(0L);
            illegal.request(0);
            assertThat(illegal.next()).isInstanceOfSatisfying(IllegalArgumentException.class,
                    e -> assertThat(e).hasMessageContaining("rule 3.9"));

            proxy.setTimeout(Duration.ofMillis(300));
            Collector slow = new Collector();
            proxy.streamAsync("slowly").subscribe(slow);
            slow.request(5);
            assertThat(slow.next()).isEqualTo(0L);
            assertThat(slow.next()).isInstanceOfSatisfying(TimeoutError.class,
                    e -> assertThat(e).hasMessage("receiving: timeout (no stream item within 0.3 s)"));
        }
    }

    /** Collects a publisher's signals for the test thread to take one by one. */
    static final class Collector implements Flow.Subscriber<Object> {
        static final Object COMPLETE = "<complete>";
        final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();
        volatile Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
        }

        @Override
        public void onNext(Object item) {
            signals.add(item);
        }

        @Override
        public void onError(Throwable error) {
            signals.add(error);
        }

        @Override
        public void onComplete() {
            signals.add(COMPLETE);
        }

        void request(long n) {
            subscription.request(n);
        }

        Object next() {
            try {
                Object signal = signals.poll(10, TimeUnit.SECONDS);
                if (signal == null) {
                    throw new AssertionError("no signal within 10 s");
                }
                return signal;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void assertFailsWith(CompletableFuture<?> future, Class<? extends Throwable> type, String messagePart) {
        ThrowableAssert.ThrowingCallable waiting = () -> future.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(waiting).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(type).hasMessageContaining(messagePart);
    }

    /** The counter's value once it has stopped moving for a while (the daemon filled what the transport takes). */
    private static long settledCount(AtomicLong counter) throws InterruptedException {
        long last = -1;
        while (counter.get() != last) {
            last = counter.get();
            Thread.sleep(300);
        }
        return last;
    }
}
