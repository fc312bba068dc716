package io.pyromesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.Pyro;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.RemoteException;
import io.pyromesh.errors.SecurityError;
import io.pyromesh.errors.TimeoutError;
import io.pyromesh.server.Daemon;
import io.pyromesh.server.Expose;
import io.pyromesh.server.Oneway;
import io.pyromesh.uri.PyroURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProxyTest {
    @Expose
    public interface Warehouse {
        List<String> list_contents();

        void store(String name, String item);

        String take(String name, String item) throws OutOfStockException;
    }

    public static class OutOfStockException extends Exception {
        public OutOfStockException(String message) {
            super(message);
        }
    }

    public static class WarehouseImpl implements Warehouse {
        private final List<String> contents = new ArrayList<>(List.of("chair", "bike", "lamp"));

        @Override
        public synchronized List<String> list_contents() {
            return List.copyOf(contents);
        }

        @Override
        public synchronized void store(String name, String item) {
            contents.add(item);
        }

        @Override
        public synchronized String take(String name, String item) throws OutOfStockException {
            if (!contents.remove(item)) {
                throw new OutOfStockException("no " + item + " in stock for " + name);
            }
            return item;
        }
    }

    /** A test object with a bit of everything. */
    @Expose
    public static class Gadget {
        final CountDownLatch onewayStarted = new CountDownLatch(1);
        final CountDownLatch releaseOneway = new CountDownLatch(1);
        final AtomicBoolean streamClosed = new AtomicBoolean();
        private volatile String label = "plain";

        public long add(long a, long b) {
            return a + b;
        }

        final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

        /** Slow on the first call only, as a server that hiccups once. */
        public String slowOnce() throws InterruptedException {
            if (attempts.incrementAndGet() == 1) {
                Thread.sleep(2000);
            }
            return "attempt " + attempts.get();
        }

        public String sleep(double seconds) throws InterruptedException {
            Thread.sleep((long) (seconds * 1000));
            return "awake";
        }

        public void fail(String why) {
            throw new IllegalStateException(why, new ArithmeticException("root cause"));
        }

        @Oneway
        public void background() throws InterruptedException {
            onewayStarted.countDown();
            releaseOneway.await(10, TimeUnit.SECONDS);
        }

        public Stream<Integer> count(int to) {
            return IntStream.range(0, to).boxed().onClose(() -> streamClosed.set(true));
        }

        public Iterator<Long> forever() {
            return new Iterator<>() {
                long next;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Long next() {
                    return next++;
                }
            };
        }

        public String getLabel() {
            return label;
        }

        public void setLabel(String label) {
            this.label = label;
        }

        public void _secret() {
            throw new AssertionError("never reachable");
        }
    }

    public interface GadgetApi {
        long add(long a, long b);

        Stream<Integer> count(int to);

        String getLabel();

        void setLabel(String label);

        void background();

        String sleep(double seconds);

        default long twice(long x) {
            return add(x, x);
        }

        void nonexistent();
    }

    private Daemon daemon;
    private Gadget gadget;
    private PyroURI uri;

    @BeforeEach
    void startDaemon() {
        daemon = new Daemon("127.0.0.1", 0);
        gadget = new Gadget();
        uri = daemon.register(gadget, "gadget");
    }

    @AfterEach
    void stopDaemon() {
        daemon.shutdown();
    }

    @Test
    void typedProxyCallsLookLocal() {
        PyroURI warehouseUri = daemon.register(new WarehouseImpl(), "example.warehouse");
        Warehouse warehouse = Pyro.proxy(warehouseUri.toString(), Warehouse.class);
        warehouse.store("Alice", "umbrella");
        assertThat(warehouse.list_contents()).containsExactly("chair", "bike", "lamp", "umbrella");
        ((RemoteObject) warehouse).close();
    }

    @Test
    void declaredExceptionsArriveAsTheirOwnType() {
        Warehouse warehouse = Pyro.proxy(daemon.register(new WarehouseImpl()), Warehouse.class);
        assertThatThrownBy(() -> warehouse.take("Bob", "piano"))
                .isInstanceOf(OutOfStockException.class)
                .hasMessage("no piano in stock for Bob")
                .cause().isInstanceOf(RemoteException.class);
    }

    @Test
    void dynamicProxyCallsAndProperties() {
        try (Proxy proxy = new Proxy(uri)) {
            assertThat(proxy.call("add", 2, 3)).isEqualTo(5L);
            assertThat(proxy.get("label")).isEqualTo("plain");
            proxy.set("label", "shiny");
            assertThat(proxy.get("label")).isEqualTo("shiny");
        }
    }

    @Test
    void aNullArgumentArrayIsOneNullArgument() {
        PyroURI echo = daemon.register(new io.pyromesh.utils.EchoServer(), "echo");
        try (Proxy proxy = new Proxy(echo)) {
            assertThat(proxy.call("echo", (Object[]) null)).isNull();
        }
    }

    @Test
    void typedProxyMapsGettersAndSettersToProperties() {
        GadgetApi api = Pyro.proxy(uri, GadgetApi.class);
        api.setLabel("typed");
        assertThat(api.getLabel()).isEqualTo("typed");
        assertThat(api.twice(21)).isEqualTo(42);
    }

    @Test
    void remoteExceptionsCarryTheRemoteTraceback() {
        try (Proxy proxy = new Proxy(uri)) {
            assertThatThrownBy(() -> proxy.call("fail", "boom"))
                    .isInstanceOfSatisfying(RemoteException.class, e -> {
                        assertThat(e.getRemoteType()).isEqualTo("java.lang.IllegalStateException");
                        assertThat(e.getMessage()).isEqualTo("boom");
                        assertThat(e.getRemoteTraceback())
                                .startsWith("java.lang.IllegalStateException: boom\n"
                                        + " +--- This exception occurred remotely (Pyro) - Remote traceback:\n")
                                .contains(" | \tat io.pyromesh.client.ProxyTest$Gadget.fail(")
                                .endsWith(" +--- End of remote traceback\n");
                        assertThat(e.getCause()).isInstanceOfSatisfying(RemoteException.class,
                                cause -> assertThat(cause.getRemoteType()).isEqualTo("java.lang.ArithmeticException"));
                    });
        }
    }

    @Test
    void unknownAndPrivateNamesAreRefusedLocallyOnceBound() {
        try (Proxy proxy = new Proxy(uri)) {
            proxy.bind();
            daemon.shutdown(); // from here on, a round trip would be a CommunicationError
            assertThatThrownBy(() -> proxy.call("nonexistent"))
                    .isInstanceOf(SecurityError.class)
                    .hasMessage("remote object 'PYRO:gadget@127.0.0.1:" + uri.port() + "' has no exposed attribute or method 'nonexistent'");
            assertThatThrownBy(() -> proxy.call("_secret")).isInstanceOf(SecurityError.class);
            assertThatThrownBy(() -> proxy.get("secret")).isInstanceOf(SecurityError.class);
            GadgetApi api = proxy.as(GadgetApi.class);
            assertThatThrownBy(api::nonexistent).isInstanceOf(SecurityError.class);
        }
    }

    @Test
    void bindFetchesMetadataOnce() {
        try (Proxy proxy = new Proxy(uri)) {
            assertThat(proxy.bind()).isTrue();
            assertThat(proxy.bind()).isFalse();
            assertThat(proxy.metadata().methods()).contains("add", "count", "background", "forever");
            assertThat(proxy.metadata().oneway()).containsExactly("background");
            assertThat(proxy.metadata().attrs()).containsExactly("label");
            assertThat(proxy.metadata().streaming()).containsExactlyInAnyOrder("count", "forever");
        }
    }

    @Test
    void onewayCallsReturnAtOnceAndRunInTheBackground() throws InterruptedException {
        GadgetApi api = Pyro.proxy(uri, GadgetApi.class);
        api.background(); // returns although the method is still waiting for the latch
        assertThat(gadget.onewayStarted.await(5, TimeUnit.SECONDS)).isTrue();
        gadget.releaseOneway.countDown();
    }

    @Test
    void streamedResultsArriveAsIterators() {
        GadgetApi api = Pyro.proxy(uri, GadgetApi.class);
        try (Stream<Integer> numbers = api.count(5)) {
            assertThat(numbers.collect(Collectors.toList())).containsExactly(0, 1, 2, 3, 4);
        }
        try (Proxy proxy = new Proxy(uri); CloseableIterator<Object> items = proxy.stream("count", 3)) {
            List<Object> all = new ArrayList<>();
            items.forEachRemaining(all::add);
            assertThat(all).containsExactly(0L, 1L, 2L);
        }
    }

    @Test
    void closingAStreamEarlyClosesItOnTheServer() throws Exception {
        try (Proxy proxy = new Proxy(uri)) {
            CloseableIterator<Object> items = proxy.stream("count", 1_000_000);
            assertThat(items.next()).isEqualTo(0L);
            items.close();
            assertThat(items.hasNext()).isFalse();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!gadget.streamClosed.get() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(gadget.streamClosed).isTrue();
        }
    }

    @Test
    void anEndlessStreamIsConsumedAtTheClientsPace() {
        try (Proxy proxy = new Proxy(uri); CloseableIterator<Object> items = proxy.stream("forever")) {
            for (long i = 0; i < 1000; i++) {
                assertThat(items.next()).isEqualTo(i);
            }
        }
    }

    @Test
    void aSlowCallTimesOut() {
        try (Proxy proxy = new Proxy(uri)) {
            proxy.setTimeout(Duration.ofMillis(200));
            assertThatThrownBy(() -> proxy.call("sleep", 3.0)).isInstanceOf(TimeoutError.class);
            assertThat(proxy.call("add", 1, 1)).isEqualTo(2L);
        }
    }

    @Test
    void maxRetriesResendsACallThatTimedOut() {
        try (Proxy proxy = new Proxy(uri)) {
            proxy.setTimeout(Duration.ofMillis(300));
            proxy.setMaxRetries(1);
            assertThat(proxy.call("slowOnce")).isEqualTo("attempt 2");
        }
        try (Proxy proxy = new Proxy(uri)) {
            gadget.attempts.set(0);
            proxy.setTimeout(Duration.ofMillis(300));
            assertThatThrownBy(() -> proxy.call("slowOnce")).isInstanceOf(TimeoutError.class);
        }
    }

    @Test
    void aGoneDaemonIsUnavailableWithinTheTimeout() {
        try (Proxy proxy = new Proxy(uri)) {
            proxy.bind();
            daemon.shutdown();
            proxy.setTimeout(Duration.ofSeconds(2));
            long started = System.nanoTime();
            assertThatThrownBy(() -> proxy.call("add", 1, 1)).isInstanceOf(CommunicationError.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void theNextCallSucceedsAfterTheDaemonRestartsOnTheSameAddress() {
        try (Proxy proxy = new Proxy(uri)) {
            assertThat(proxy.call("add", 1, 2)).isEqualTo(3L);
            daemon.shutdown();
            assertThatThrownBy(() -> proxy.call("add", 1, 2)).isInstanceOf(CommunicationError.class);
            daemon = new Daemon("127.0.0.1", uri.port());
            daemon.register(new Gadget(), "gadget");
            assertThat(proxy.call("add", 2, 2)).isEqualTo(4L);
        }
    }

    @Test
    void batchesRunInOrderAndStopAtTheFirstError() {
        try (Proxy proxy = new Proxy(uri)) {
            Iterator<Object> results = proxy.batch()
                    .call("add", 1, 1)
                    .call("add", 2, 2)
                    .call("fail", "third")
                    .call("add", 4, 4)
                    .execute();
            assertThat(results.next()).isEqualTo(2L);
            assertThat(results.next()).isEqualTo(4L);
            assertThatThrownBy(results::next).isInstanceOf(RemoteException.class).hasMessage("third");
            assertThat(results.hasNext()).isFalse();
        }
    }

    @Test
    void oneProxyIsSafeToShareBetweenThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Proxy proxy = new Proxy(uri)) {
            List<Future<Object>> sums = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long n = i;
                sums.add(pool.submit(() -> proxy.call("add", n, n)));
            }
            for (int i = 0; i < sums.size(); i++) {
                assertThat(sums.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(2L * i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void proxiesAreEqualByUriAndShowTheirState() {
        try (Proxy a = new Proxy(uri); Proxy b = new Proxy(uri.toString())) {
            assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
            assertThat(a.toString()).isEqualTo("<Pyro Proxy for " + uri + "; not connected>");
            a.bind();
            assertThat(a.toString()).contains("connected to " + uri);
            assertThat(Map.of(a, 1)).containsKey(b);
        }
    }

    @Test
    void typedProxiesNeedAnInterface() {
        assertThatThrownBy(() -> Pyro.proxy(uri, Gadget.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an interface");
    }
}
