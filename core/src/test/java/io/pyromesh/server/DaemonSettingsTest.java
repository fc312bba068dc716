package io.pyromesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.client.CloseableIterator;
import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.MessageTooLargeError;
import io.pyromesh.errors.ProtocolError;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.utils.EchoServer;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Config items that change how a daemon serves, each seen working end to end. */
class DaemonSettingsTest {
    @Expose
    public static class Probe {
        private final AtomicInteger running = new AtomicInteger();
        private volatile int mostAtOnce;

        public void busy() throws InterruptedException {
            int now = running.incrementAndGet();
            mostAtOnce = Math.max(mostAtOnce, now);
            Thread.sleep(100);
            running.decrementAndGet();
        }

        public int mostAtOnce() {
            return mostAtOnce;
        }

        public Iterator<Long> slowly() {
            return LongStream.iterate(0, i -> i + 1).peek(i -> pause()).iterator();
        }

        public byte[] bytes(int size) {
            return new byte[size];
        }

        private static void pause() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Daemon daemon(PyroConfig config) {
        return Daemon.builder().host("127.0.0.1").config(config).build();
    }

    @Test
    void multiplexRunsOneCallAtATime() throws Exception {
        assertThat(mostCallsAtOnce(PyroConfig.defaults().with("SERVERTYPE", "multiplex"))).isEqualTo(1L);
    }

    @Test
    void theThreadServerRunsCallsConcurrently() throws Exception {
        assertThat(mostCallsAtOnce(PyroConfig.defaults())).isGreaterThan(1L);
    }

    /** Four callers at once, each calling busy(): how many ran at the same time. */
    private static long mostCallsAtOnce(PyroConfig config) throws Exception {
        try (Daemon daemon = daemon(config)) {
            PyroURI uri = daemon.register(new Probe(), "probe");
            ExecutorService callers = Executors.newFixedThreadPool(4);
            try (Proxy proxy = new Proxy(uri)) {
                Future<?>[] calls = new Future<?>[4];
                for (int i = 0; i < calls.length; i++) {
                    calls[i] = callers.submit(() -> proxy.call("busy"));
                }
                for (Future<?> call : calls) {
                    call.get(10, TimeUnit.SECONDS);
                }
                return (Long) proxy.call("mostAtOnce");
            } finally {
                callers.shutdownNow();
            }
        }
    }

    @Test
    void compressedCallsWork() {
        PyroConfig compressed = PyroConfig.defaults().with("COMPRESSION", true);
        try (Daemon daemon = daemon(compressed)) {
            PyroURI uri = daemon.register(new Probe(), "probe");
            try (Proxy proxy = new Proxy(uri, compressed)) {
                assertThat((byte[]) proxy.call("bytes", 100_000)).hasSize(100_000);
            }
        }
    }

    @Test
    void streamsEndWhenTheyOutliveTheirLifetime() {
        try (Daemon daemon = daemon(PyroConfig.defaults().with("ITER_STREAM_LIFETIME", 0.3))) {
            PyroURI uri = daemon.register(new Probe(), "probe");
            try (Proxy proxy = new Proxy(uri); CloseableIterator<Object> items = proxy.stream("slowly")) {
                assertThat(items.next()).isEqualTo(0L);
                assertThatThrownBy(() -> {
                    while (items.hasNext()) {
                        items.next();
                    }
                }).isInstanceOf(ProtocolError.class).hasMessageContaining("exceeded its lifetime of 0.3 s (ITER_STREAM_LIFETIME)");
            }
        }
    }

    @Test
    void streamingCanBeSwitchedOff() {
        try (Daemon daemon = daemon(PyroConfig.defaults().with("ITER_STREAMING", false))) {
            PyroURI uri = daemon.register(new EchoServer(), "echo");
            try (Proxy proxy = new Proxy(uri); CloseableIterator<Object> items = proxy.stream("generator")) {
                assertThatThrownBy(items::hasNext).isInstanceOf(ProtocolError.class)
                        .hasMessage("this daemon does not stream results (ITER_STREAMING is off)");
            }
        }
    }

    @Test
    void messagesOverTheSizeLimitAreRefusedBothWays() {
        PyroConfig small = PyroConfig.defaults().with("MAX_MESSAGE_SIZE", 10_000);
        try (Daemon daemon = daemon(small)) {
            PyroURI uri = daemon.register(new Probe(), "probe");
            try (Proxy proxy = new Proxy(uri, small)) {
                assertThatThrownBy(() -> proxy.call("bytes", 20_000)).as("an oversize reply").isInstanceOf(MessageTooLargeError.class);
            }
            try (Proxy proxy = new Proxy(uri, PyroConfig.defaults())) {
                assertThatThrownBy(() -> proxy.call("bytes", new byte[20_000])).as("an oversize request")
                        .isInstanceOf(MessageTooLargeError.class);
            }
            try (Proxy proxy = new Proxy(uri, small)) {
                assertThatThrownBy(() -> proxy.call("bytes", new byte[20_000])).as("refused before sending")
                        .isInstanceOf(MessageTooLargeError.class);
            }
        }
    }
}
