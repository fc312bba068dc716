package io.pyromesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.DaemonError;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.testing.LogCapture;
import io.pyromesh.utils.EchoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonTest {
    private final Daemon daemon = new Daemon("127.0.0.1", 0);

    @AfterEach
    void stop() {
        daemon.shutdown();
    }

    @Test
    void registeringReturnsTheObjectsUri() {
        PyroURI uri = daemon.register(new EchoServer(), "test.echoserver");
        assertThat(uri.toString()).isEqualTo("PYRO:test.echoserver@127.0.0.1:" + daemon.port());
        assertThat(daemon.uriFor("test.echoserver")).isEqualTo(uri);
        assertThat(daemon.registered()).containsExactly("Pyro.Daemon", "test.echoserver");
    }

    @Test
    void generatedIdsAreObjFollowedBy32HexDigits() {
        EchoServer echo = new EchoServer();
        PyroURI uri = daemon.register(echo);
        assertThat(uri.object()).matches("obj_[0-9a-f]{32}");
        assertThat(daemon.uriFor(echo)).isEqualTo(uri);
    }

    @Test
    void duplicatesAreRefusedUnlessForced() {
        EchoServer first = new EchoServer();
        daemon.register(first, "echo");
        assertThatThrownBy(() -> daemon.register(new EchoServer(), "echo"))
                .isInstanceOf(DaemonError.class)
                .hasMessage("an object or class is already registered with that id");
        assertThatThrownBy(() -> daemon.register(first, "echo2"))
                .isInstanceOf(DaemonError.class)
                .hasMessage("object or class already has a Pyro id");
        EchoServer second = new EchoServer();
        daemon.register(second, "echo", true);
        assertThat(daemon.idOf(second)).isEqualTo("echo");
        assertThat(daemon.idOf(first)).isNull();
    }

    @Test
    void unregisteringByObjectOrId() {
        EchoServer echo = new EchoServer();
        daemon.register(echo, "a");
        daemon.register(new EchoServer(), "b");
        daemon.unregister(echo);
        daemon.unregister("b");
        daemon.unregister("never-registered");
        assertThat(daemon.registered()).containsExactly("Pyro.Daemon");
        assertThatThrownBy(() -> daemon.uriFor(echo)).isInstanceOf(DaemonError.class);
    }

    @Test
    void theBuiltInDaemonObjectStaysPut() {
        assertThatThrownBy(() -> daemon.unregister("Pyro.Daemon")).isInstanceOf(DaemonError.class);
        assertThatThrownBy(() -> daemon.register(new EchoServer(), "Pyro.Daemon")).isInstanceOf(DaemonError.class);
    }

    @Test
    void badObjectIdsAreRefused() {
        for (String bad : List.of("", "with space", "at@sign", "tab\tbed")) {
            assertThatThrownBy(() -> daemon.register(new EchoServer(), bad))
                    .as(bad).isInstanceOf(DaemonError.class).hasMessageContaining("invalid object id");
        }
    }

    @Test
    void theDaemonObjectAnswersRemotely() {
        daemon.register(new EchoServer(), "test.echoserver");
        try (Proxy pyroDaemon = new Proxy(daemon.uri())) {
            assertThat(pyroDaemon.call("ping")).isNull();
            assertThat(pyroDaemon.call("registered")).isEqualTo(List.of("Pyro.Daemon", "test.echoserver"));
            assertThat((String) pyroDaemon.call("info")).isEqualTo("Pyro.Daemon bound on 127.0.0.1:" + daemon.port()
                    + ", NAT None, 2 objects registered. Servertype: gRPC, thread pool of up to 80 workers");
            @SuppressWarnings("unchecked")
            Map<String, Set<String>> metadata = (Map<String, Set<String>>) pyroDaemon.call("get_metadata", "test.echoserver");
            assertThat(metadata.get("oneway")).containsExactlyInAnyOrder("oneway_echo", "oneway_slow");
            assertThat(metadata.get("attrs")).containsExactly("verbose");
            assertThat(metadata.get("methods")).contains("echo", "generator", "__dunder__").doesNotContain("getVerbose");
            assertThatThrownBy(() -> pyroDaemon.call("get_metadata", "nope"))
                    .isInstanceOf(DaemonError.class).hasMessage("unknown object: nope");
        }
    }

    @Test
    void natAddressesArePublishedInUris() {
        try (Daemon behindNat = Daemon.builder().host("127.0.0.1").natHost("gateway.example").natPort(0).build()) {
            PyroURI uri = behindNat.register(new EchoServer(), "echo");
            assertThat(uri.toString()).isEqualTo("PYRO:echo@gateway.example:" + behindNat.port());
            assertThat(behindNat.uriFor("echo", false).toString()).isEqualTo("PYRO:echo@127.0.0.1:" + behindNat.port());
        }
        try (Daemon behindNat = Daemon.builder().host("127.0.0.1").natHost("gateway.example").natPort(8080).build()) {
            assertThat(behindNat.register(new EchoServer(), "echo").toString()).isEqualTo("PYRO:echo@gateway.example:8080");
        }
        assertThatThrownBy(() -> Daemon.builder().unixSocket("/tmp/x").natHost("h").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cannot use nathost together with unixsocket");
    }

    @Test
    void aDaemonCanServeAUnixSocketAndRemovesItOnShutdown(@TempDir Path directory) {
        Path socket = directory.resolve("echo.sock");
        Daemon unix = Daemon.builder().unixSocket(socket.toString()).build();
        try {
            PyroURI uri = unix.register(new EchoServer(), "echo");
            assertThat(uri.toString()).isEqualTo("PYRO:echo@./u:" + socket);
            try (Proxy proxy = new Proxy(uri); LogCapture log = LogCapture.atLeast(Level.WARNING)) {
                assertThat(proxy.call("echo", "via unix socket")).isEqualTo("via unix socket");
                assertThat(log.records()).as("warnings, such as Netty's about TCP options").isEmpty();
            }
        } finally {
            unix.shutdown();
        }
        assertThat(Files.exists(socket)).isFalse();
    }

    @Test
    void aDaemonCanServeALinuxAbstractSocket() {
        String name = "\0pyromesh-test-" + UUID.randomUUID();
        try (Daemon unix = Daemon.builder().unixSocket(name).build()) {
            PyroURI uri = unix.register(new EchoServer(), "echo");
            try (Proxy proxy = new Proxy(uri); LogCapture log = LogCapture.atLeast(Level.WARNING)) {
                assertThat(proxy.call("echo", "abstract")).isEqualTo("abstract");
                assertThat(log.records()).as("warnings, such as Netty's about TCP options").isEmpty();
            }
        }
    }

    @Test
    void aBusyPortIsACommunicationError() {
        assertThatThrownBy(() -> new Daemon("127.0.0.1", daemon.port()))
                .isInstanceOf(CommunicationError.class)
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + daemon.port() + ": ");
    }

    @Test
    void daemonsListenOnLocalhostByDefault() {
        try (Daemon byDefault = new Daemon()) {
            assertThat(byDefault.uri().host()).isEqualTo(PyroConfig.defaults().host()).isEqualTo("localhost");
        }
    }

    @Test
    void aRemoteMethodCanShutItsDaemonDownAndStillAnswer() throws InterruptedException {
        PyroURI uri = daemon.register(new EchoServer(), "echo");
        Thread loop = new Thread(daemon::requestLoop);
        loop.start();
        try (Proxy proxy = new Proxy(uri)) {
            assertThat(proxy.call("shutdown")).isNull();
        }
        loop.join(5000);
        assertThat(loop.isAlive()).isFalse();
        assertThat(daemon.isShutdown()).isTrue();
    }

    @Test
    void shutdownIsIdempotentAndEndsRequestLoop() throws InterruptedException {
        Thread loop = new Thread(daemon::requestLoop);
        loop.start();
        daemon.shutdown();
        daemon.shutdown();
        loop.join(5000);
        assertThat(loop.isAlive()).isFalse();
        assertThat(daemon.isShutdown()).isTrue();
    }
}
