package io.pyromesh.server;

import static io.pyromesh.testing.Eventually.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.RemoteException;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.errors.TimeoutError;
import io.pyromesh.uri.PyroURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exposed methods that return a CompletionStage: answered when the stage completes, holding no worker meanwhile. */
class AsyncMethodTest {
    /** Takes orders and answers each when the test says the dish is ready. */
    @Expose
    public static class Kitchen {
        final Map<String, CompletableFuture<String>> orders = new ConcurrentHashMap<>();

        public CompletableFuture<String> order(String dish) {
            return orders.computeIfAbsent(dish, name -> new CompletableFuture<>());
        }

        public CompletionStage<Long> ready(long n) {
            return CompletableFuture.completedFuture(n);
        }

        public CompletionStage<String> burnt(String dish) {
            return CompletableFuture.failedFuture(new IllegalStateException("burnt " + dish));
        }

        public CompletionStage<String> burntElsewhere(String dish) {
            return CompletableFuture.supplyAsync(() -> {
                throw new IllegalStateException("burnt " + dish + " in another kitchen");
            });
        }

        public CompletionStage<Object> unservable() {
            return CompletableFuture.completedFuture(new Object());
        }

        public CompletionStage<String> forgotten() {
            return null;
        }

        public long count() {
            return orders.size();
        }

        void serve(String dish) {
            orders.get(dish).complete(dish + " served");
        }
    }

    /** A class made per call: its instance is closed once its stage completes. */
    @Expose
    @Behavior(instanceMode = InstanceMode.PERCALL)
    public static class Waiter implements AutoCloseable {
        static final List<Waiter> MADE = new ArrayList<>();
        final CompletableFuture<String> tip = new CompletableFuture<>();
        volatile boolean closed;

        public Waiter() {
            synchronized (MADE) {
                MADE.add(this);
            }
        }

        public CompletableFuture<String> await() {
            return tip;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final List<Daemon> daemons = new ArrayList<>();
    private final Kitchen kitchen = new Kitchen();

    @AfterEach
    void stopDaemons() {
        daemons.forEach(Daemon::shutdown);
    }

    private PyroURI serve(Object object, PyroConfig config) {
        Daemon daemon = Daemon.builder().host("127.0.0.1").config(config).build();
        daemons.add(daemon);
        return daemon.register(object, "kitchen");
    }

    @Test
    void pendingStagesHoldNoWorker() throws Exception {
        try (Proxy proxy = new Proxy(serve(kitchen, PyroConfig.defaults().with("THREADPOOL_SIZE_MIN", 1).with("THREADPOOL_SIZE", 1)))) {
            List<CompletableFuture<Object>> served = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                served.add(proxy.callAsync("order", "dish " + i));
            }
            awaitTrue(() -> kitchen.orders.size() == 50);
            // fifty calls are waiting for their stages, and the one worker is still free for others
            assertThat(proxy.call("ready", 7)).isEqualTo(7L);
            assertThat(served).noneMatch(CompletableFuture::isDone);
            for (int i = 0; i < 50; i++) {
                kitchen.serve("dish " + i);
            }
            for (int i = 0; i < 50; i++) {
                assertThat(served.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("dish " + i + " served");
            }
        }
    }

    @Test
    void aFailedStageIsARemoteExceptionAsAThrownOneIs() {
        try (Proxy proxy = new Proxy(serve(kitchen, PyroConfig.defaults()))) {
            assertThatThrownBy(() -> proxy.call("burnt", "toast"))
                    .isInstanceOfSatisfying(RemoteException.class, e -> {
                        assertThat(e.getRemoteType()).isEqualTo("java.lang.IllegalStateException");
                        assertThat(e.getMessage()).isEqualTo("burnt toast");
                    });
            // a stage failed by a dependent stage wraps its exception in a CompletionException: the caller sees the exception itself
            assertThatThrownBy(() -> proxy.call("burntElsewhere", "rice"))
                    .isInstanceOfSatisfying(RemoteException.class, e -> {
                        assertThat(e.getRemoteType()).isEqualTo("java.lang.IllegalStateException");
                        assertThat(e.getMessage()).isEqualTo("burnt rice in another kitchen");
                    });
            assertThatThrownBy(() -> proxy.call("forgotten"))
                    .isInstanceOfSatisfying(RemoteException.class, e -> {
                        assertThat(e.getRemoteType()).isEqualTo("java.lang.NullPointerException");
                        assertThat(e.getMessage()).isEqualTo("forgotten() returned null instead of a CompletionStage");
                    });
            assertThatThrownBy(() -> proxy.call("unservable"))
                    .isInstanceOf(SerializeError.class)
                    .hasMessageContaining("cannot serialize the result of unservable()");
        }
    }

    @Test
    void cancellingTheCallCancelsTheStage() {
        try (Proxy proxy = new Proxy(serve(kitchen, PyroConfig.defaults()))) {
            CompletableFuture<Object> soup = proxy.callAsync("order", "soup");
            awaitTrue(() -> kitchen.orders.containsKey("soup"));
            soup.cancel(true);
            awaitTrue(() -> kitchen.orders.get("soup").isCancelled());
        }
    }

    @Test
    void theCallersDeadlineCancelsTheStage() {
        try (Proxy proxy = new Proxy(serve(kitchen, PyroConfig.defaults()))) {
            proxy.bind();
            proxy.setTimeout(Duration.ofSeconds(1));
            assertThatThrownBy(() -> proxy.call("order", "stew")).isInstanceOf(TimeoutError.class);
            awaitTrue(() -> kitchen.orders.containsKey("stew") && kitchen.orders.get("stew").isCancelled());
        }
    }

    @Test
    void maxPendingCallsBoundsTheCallsWaitingForTheirStages() throws Exception {
        try (Proxy proxy = new Proxy(serve(kitchen, PyroConfig.defaults().with("MAX_PENDING_CALLS", 3)))) {
            List<CompletableFuture<Object>> served = new ArrayList<>();
            for (String dish : List.of("a", "b", "c")) {
                served.add(proxy.callAsync("order", dish));
            }
            awaitTrue(() -> kitchen.orders.size() == 3);
            assertThatThrownBy(() -> proxy.call("order", "d"))
                    .isInstanceOf(CommunicationError.class)
                    .hasMessage("too many pending calls, increase MAX_PENDING_CALLS (3)");
            assertThat(kitchen.orders).doesNotContainKey("d"); // refused before it ran
            assertThat(proxy.call("count")).isEqualTo(3L); // other methods are not bounded by it
            kitchen.serve("a");
            assertThat(served.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("a served");
            CompletableFuture<Object> fourth = proxy.callAsync("order", "d");
            awaitTrue(() -> kitchen.orders.containsKey("d"));
            kitchen.serve("d");
            assertThat(fourth.get(10, TimeUnit.SECONDS)).isEqualTo("d served");
        }
    }

    @Test
    void aOnewayCallToAnAsyncMethodHoldsItsPendingRoomUntilTheStageCompletes() {
        try (Proxy proxy = new Proxy(serve(kitchen, PyroConfig.defaults().with("MAX_PENDING_CALLS", 1)))) {
            proxy.callOneway("order", "tea");
            awaitTrue(() -> kitchen.orders.containsKey("tea"));
            assertThatThrownBy(() -> proxy.call("ready", 1)).hasMessageContaining("too many pending calls");
            kitchen.serve("tea");
            awaitTrue(() -> {
                try {
                    return proxy.call("ready", 1).equals(1L);
                } catch (CommunicationError stillPending) {
                    return false;
                }
            });
        }
    }

    @Test
    void aPerCallInstanceLivesUntilItsStageCompletes() throws Exception {
        Daemon daemon = Daemon.builder().host("127.0.0.1").build();
        daemons.add(daemon);
        PyroURI uri = daemon.register(Waiter.class, "waiter", null);
        try (Proxy proxy = new Proxy(uri)) {
            CompletableFuture<Object> tip = proxy.callAsync("await");
            awaitTrue(() -> {
                synchronized (Waiter.MADE) {
                    return !Waiter.MADE.isEmpty();
                }
            });
            Waiter waiter;
            synchronized (Waiter.MADE) {
                waiter = Waiter.MADE.get(Waiter.MADE.size() - 1);
            }
            assertThat(waiter.closed).isFalse();
            waiter.tip.complete("thanks");
            assertThat(tip.get(10, TimeUnit.SECONDS)).isEqualTo("thanks");
            awaitTrue(() -> waiter.closed);
        }
    }

    @Test
    void aBatchWaitsForEachStageInTurn() {
        try (Proxy proxy = new Proxy(serve(kitchen, PyroConfig.defaults()))) {
            CompletableFuture<Iterator<Object>> results = proxy.batch()
                    .call("order", "pie")
                    .call("ready", 2)
                    .call("burnt", "cake")
                    .call("ready", 3)
                    .executeAsync();
            awaitTrue(() -> kitchen.orders.containsKey("pie"));
            assertThat(results).isNotDone();
            kitchen.serve("pie");
            Iterator<Object> served = results.join();
            assertThat(served.next()).isEqualTo("pie served");
            assertThat(served.next()).isEqualTo(2L);
            assertThatThrownBy(served::next).isInstanceOf(RemoteException.class).hasMessage("burnt cake");
            assertThat(served.hasNext()).isFalse();
        }
    }

    @Test
    void theBatchCallersDeadlineCancelsTheStageItWaitsFor() {
        try (Proxy proxy = new Proxy(serve(kitchen, PyroConfig.defaults()))) {
            proxy.bind();
            proxy.setTimeout(Duration.ofSeconds(1));
            assertThatThrownBy(() -> proxy.batch().call("order", "flan").call("ready", 1).execute())
                    .isInstanceOf(TimeoutError.class);
            awaitTrue(() -> kitchen.orders.containsKey("flan") && kitchen.orders.get("flan").isCancelled());
        }
    }
}
