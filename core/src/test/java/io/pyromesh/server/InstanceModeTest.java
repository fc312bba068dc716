package io.pyromesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.RemoteException;
import io.pyromesh.uri.PyroURI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InstanceModeTest {
    static final AtomicInteger CREATED = new AtomicInteger();
    static final AtomicInteger CLOSED = new AtomicInteger();

    @Expose
    public static class Counter implements AutoCloseable {
        private final int serial = CREATED.incrementAndGet();
        private int calls;

        public synchronized String next() {
            return "instance " + serial + " call " + ++calls;
        }

        @Override
        public void close() {
            CLOSED.incrementAndGet();
        }
    }

    @Behavior(instanceMode = InstanceMode.SINGLE)
    public static class SingleCounter extends Counter {}

    @Behavior(instanceMode = InstanceMode.PERCALL)
    public static class PerCallCounter extends Counter {}

    @Behavior(instanceMode = InstanceMode.SESSION)
    public static class SessionCounter extends Counter {}

    private final Daemon daemon = new Daemon("127.0.0.1", 0);

    @AfterEach
    void stop() {
        daemon.shutdown();
    }

    private static String next(Proxy proxy) {
        return (String) proxy.call("next");
    }

    @Test
    void singleModeSharesOneInstanceBetweenProxies() {
        PyroURI uri = daemon.register(SingleCounter.class, "single", null);
        try (Proxy a = new Proxy(uri); Proxy b = new Proxy(uri)) {
            String first = next(a);
            String second = next(b);
            assertThat(second).startsWith(first.substring(0, first.indexOf(" call"))).endsWith("call 2");
        }
    }

    @Test
    void perCallModeMakesAnInstanceForEveryCallAndClosesIt() {
        PyroURI uri = daemon.register(PerCallCounter.class, "percall", null);
        int closedBefore = CLOSED.get();
        try (Proxy proxy = new Proxy(uri)) {
            assertThat(next(proxy)).endsWith("call 1");
            assertThat(next(proxy)).endsWith("call 1");
        }
        assertThat(CLOSED.get() - closedBefore).isEqualTo(2);
    }

    @Test
    void sessionModeGivesEachProxyItsOwnInstanceUntilItCloses() throws InterruptedException {
        PyroURI uri = daemon.register(SessionCounter.class, "session", null);
        int closedBefore = CLOSED.get();
        try (Proxy a = new Proxy(uri); Proxy b = new Proxy(uri)) {
            String a1 = next(a);
            String a2 = next(a);
            String b1 = next(b);
            assertThat(a1).endsWith("call 1");
            assertThat(a2).endsWith("call 2").startsWith(a1.substring(0, a1.indexOf(" call")));
            assertThat(b1).endsWith("call 1").doesNotStartWith(a1.substring(0, a1.indexOf(" call")));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (CLOSED.get() - closedBefore < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(CLOSED.get() - closedBefore).as("instances closed when their proxies closed").isEqualTo(2);
    }

    @Test
    void anIdleSessionEndsAfterSessionTimeout() throws InterruptedException {
        try (Daemon quick = Daemon.builder().host("127.0.0.1").config(PyroConfig.defaults().with("SESSION_TIMEOUT", 0.3)).build()) {
            PyroURI uri = quick.register(SessionCounter.class, "session", null);
            int closedBefore = CLOSED.get();
            Proxy proxy = new Proxy(uri);
            String first = next(proxy);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (CLOSED.get() == closedBefore && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(CLOSED.get() - closedBefore).as("the idle instance was closed").isEqualTo(1);
            assertThat(next(proxy)).as("a new instance for the same proxy").endsWith("call 1")
                    .doesNotStartWith(first.substring(0, first.indexOf(" call")));
            proxy.close();
        }
    }

    @Test
    void classesWithoutBehaviorAreInSessionMode() {
        PyroURI uri = daemon.register(Counter.class, "plain", null);
        try (Proxy a = new Proxy(uri); Proxy b = new Proxy(uri)) {
            next(a);
            assertThat(next(a)).endsWith("call 2");
            assertThat(next(b)).endsWith("call 1");
        }
    }

    @Test
    void anInstanceCreatorMakesTheInstances() {
        PyroURI uri = daemon.register(SingleCounter.class, "created", () -> new SingleCounter() {
            @Override
            public synchronized String next() {
                return "made by the creator";
            }
        });
        try (Proxy proxy = new Proxy(uri)) {
            assertThat(next(proxy)).isEqualTo("made by the creator");
        }
    }

    @Test
    void aFailingCreatorIsTheCallersRemoteError() {
        PyroURI uri = daemon.register(PerCallCounter.class, "failing", () -> {
            throw new IllegalStateException("no instances today");
        });
        try (Proxy proxy = new Proxy(uri)) {
            assertThatThrownBy(() -> next(proxy)).isInstanceOf(RemoteException.class).hasMessage("no instances today");
        }
    }

    @Test
    void aClassWithoutNoArgumentConstructorNeedsACreator() {
        assertThatThrownBy(() -> daemon.register(NeedsArguments.class, "x", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no accessible no-argument constructor");
    }

    @Expose
    public static class NeedsArguments {
        public NeedsArguments(String required) {
            // never made by the daemon
        }

        public void work() {
            // exposed so that it is a valid Pyro object
        }
    }
}
