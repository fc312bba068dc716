package io.pyromesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.Pyro;
import io.pyromesh.errors.ProtocolError;
import io.pyromesh.errors.SecurityError;
import io.pyromesh.errors.SerializeError;
import io.pyromesh.errors.TypeError;
import io.pyromesh.naming.NameServer;
import io.pyromesh.server.Daemon;
import io.pyromesh.server.Expose;
import io.pyromesh.uri.PyroURI;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Typed proxies are checked when they are made, name the Java method in their errors, and call a remote close(). */
class TypedProxyTest {
    /** Nothing listens here: making a typed proxy does no I/O, so its checks need no daemon. */
    private static final PyroURI NOWHERE = PyroURI.direct("nothing", "127.0.0.1", 1);

    @Expose
    public static class Door {
        volatile boolean open = true;
        volatile int closes;

        public void close() {
            open = false;
            closes++;
        }

        public boolean isOpen() {
            return open;
        }

        public String name() {
            return "front door";
        }

        public Stream<Integer> hinges() {
            return IntStream.range(0, 3).boxed();
        }

        public long weight() {
            return 40;
        }

        public void paint(Object colour) {
            throw new AssertionError("never called: the colour cannot be sent");
        }
    }

    /** A close() of its own: the remote one. */
    public interface RemoteDoor {
        void close();

        boolean isOpen();
    }

    /** close() from AutoCloseable: it releases the proxy. */
    public interface LocalDoor extends AutoCloseable {
        @Override
        void close();

        boolean isOpen();
    }

    /** No close() of its own: RemoteObject's releases the proxy. */
    public interface Peephole {
        boolean isOpen();
    }

    /** Shapes that disagree with what the door's methods are, or that it lacks. */
    public interface WrongDoor {
        int name();

        List<Integer> hinges();

        Stream<Long> weight();

        void paint(Object colour);

        void knock();

        CompletableFuture<Void> ring();
    }

    private Daemon daemon;
    private Door door;
    private PyroURI uri;

    @BeforeEach
    void startDaemon() {
        daemon = new Daemon("127.0.0.1", 0);
        door = new Door();
        uri = daemon.register(door, "door");
    }

    @AfterEach
    void stopDaemon() {
        daemon.shutdown();
    }

    public interface Shelf {
        Optional<String> find(String name);
    }

    public interface Lister {
        ListIterator<String> items();
    }

    public interface Later {
        FutureTask<String> later();
    }

    public interface StreamLater {
        CompletableFuture<Stream<String>> items();
    }

    public interface Nested {
        List<Iterator<String>> lists();
    }

    public interface Sender {
        void send(String to, Iterator<String> items);
    }

    public interface Hidden {
        void _secret();
    }

    public interface Closer {
        String close();
    }

    public interface Clash {
        String pyroProxy();
    }

    @Test
    void anInterfaceThatCannotWorkIsRefusedWhenTheProxyIsMade() {
        assertRefused(Shelf.class, "Shelf.find(String): returns Optional<String>, which cannot arrive as a value:"
                + " use the value itself, null for none");
        assertRefused(Lister.class, "Lister.items(): returns ListIterator<String>, which a typed proxy cannot give:"
                + " a streamed result is an Iterator<T>, CloseableIterator<T>, Stream<T>, Iterable<T> or Flow.Publisher<T>");
        assertRefused(Later.class, "Later.later(): returns FutureTask<String>, which a typed proxy cannot give:"
                + " an asynchronous result is a CompletableFuture<T> or CompletionStage<T>");
        assertRefused(StreamLater.class, "StreamLater.items(): completes with Stream<String>, which cannot arrive as a value:"
                + " a stream is a method's whole result (Iterator<T>, Stream<T>, Iterable<T> or Flow.Publisher<T>)");
        assertRefused(Nested.class, "Nested.lists(): returns List<Iterator<String>>, which cannot arrive as a value:"
                + " Iterator<String> inside it: a stream is a method's whole result");
        assertRefused(Sender.class, "Sender.send(String, Iterator): parameter 2 is Iterator<String>, which cannot be sent as a value");
        assertRefused(Hidden.class, "Hidden._secret(): names starting with _ are never reachable remotely");
        assertRefused(Closer.class, "Closer.close(): a typed proxy's close() is also AutoCloseable's, which returns nothing:"
                + " declare it void to call the remote close(), or rename it");
        assertRefused(Clash.class, "Clash.pyroProxy(): pyroProxy() is RemoteObject's");
    }

    @Test
    void theNameServersInterfaceAndEveryWorkingShapePassTheChecks() {
        assertThatCode(() -> new Proxy(NOWHERE).as(NameServer.class)).doesNotThrowAnyException();
        assertThatCode(() -> new Proxy(NOWHERE).as(WrongDoor.class)).doesNotThrowAnyException();
        assertThatCode(() -> new Proxy(NOWHERE).as(AsyncProxyTest.AsyncShop.class)).doesNotThrowAnyException();
    }

    @Test
    void errorsAboutAMethodNameIt() {
        WrongDoor api = Pyro.proxy(uri, WrongDoor.class);
        assertThatThrownBy(api::knock)
                .isInstanceOf(SecurityError.class)
                .hasMessage("WrongDoor.knock(): remote object '" + uri + "' has no exposed attribute or method 'knock'");
        assertThatThrownBy(api::name)
                .isInstanceOf(TypeError.class)
                .hasMessageStartingWith("WrongDoor.name(): expected int, got str");
        assertThatThrownBy(api::hinges)
                .isInstanceOf(ProtocolError.class)
                .hasMessage("WrongDoor.hinges(): the remote method 'hinges' returns a stream: declare Iterator<T>, Stream<T>"
                        + " or Iterable<T>, or Flow.Publisher<T> to consume it asynchronously");
        assertThatThrownBy(api::weight)
                .isInstanceOf(ProtocolError.class)
                .hasMessage("WrongDoor.weight(): the remote method 'weight' returns one value, not a stream:"
                        + " declare the value's type instead of Stream<Long>");
        assertThatThrownBy(() -> api.paint(new Object()))
                .isInstanceOf(SerializeError.class)
                .hasMessageStartingWith("WrongDoor.paint(Object): ");
        assertThatThrownBy(() -> api.ring().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SecurityError.class)
                .hasMessage("WrongDoor.ring(): remote object '" + uri + "' has no exposed attribute or method 'ring'");
    }

    @Test
    void aCloseTheInterfaceDeclaresItselfIsCalledRemotely() {
        RemoteDoor remote = Pyro.proxy(uri, RemoteDoor.class);
        assertThat(remote.isOpen()).isTrue();
        remote.close();
        assertThat(door.open).isFalse();
        assertThat(remote.isOpen()).isFalse();
        // Java gives a proxy one close(): through RemoteObject it is the remote one too
        ((RemoteObject) remote).close();
        assertThat(door.closes).isEqualTo(2);
        // the proxy itself is released through pyroProxy()
        Proxy underlying = ((RemoteObject) remote).pyroProxy();
        underlying.close();
        assertThat(underlying.toString()).endsWith("; not connected>");
    }

    @Test
    void aCloseFromAutoCloseableOrRemoteObjectReleasesTheProxy() {
        try (LocalDoor local = Pyro.proxy(uri, LocalDoor.class)) {
            assertThat(local.isOpen()).isTrue();
            assertThat(((RemoteObject) local).pyroProxy().toString()).contains("connected to");
        }
        assertThat(door.open).isTrue();
        assertThat(door.closes).isZero();

        Peephole plain = Pyro.proxy(uri, Peephole.class);
        assertThat(plain.isOpen()).isTrue();
        ((RemoteObject) plain).close();
        assertThat(((RemoteObject) plain).pyroProxy().toString()).endsWith("; not connected>");
        assertThat(door.closes).isZero();
    }

    private static void assertRefused(Class<?> type, String message) {
        assertThatThrownBy(() -> new Proxy(NOWHERE).as(type))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }
}
