package io.pyromesh.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.pyromesh.Pyro;
import io.pyromesh.client.CloseableIterator;
import io.pyromesh.client.Proxy;
import io.pyromesh.context.CallContext;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.DaemonError;
import io.pyromesh.errors.RemoteException;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.naming.NameServer;
import io.pyromesh.proto.v1.ErrorDetail;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.server.Daemon;
import io.pyromesh.server.Expose;
import io.pyromesh.server.SidecarAttachment;
import io.pyromesh.uri.PyroURI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A Java daemon attached to a sidecar, called through it: names, calls, errors, and what its end does. */
@Timeout(60)
class AttachedDaemonTest {
    private final TestMesh mesh = TestMesh.start();
    private final List<Daemon> apps = new ArrayList<>();

    @AfterEach
    void stop() {
        apps.forEach(Daemon::shutdown);
        mesh.close();
    }

    private Daemon attached(String id, Object object, String name) {
        Daemon app = mesh.app(Map.of(id, object), name == null ? Map.of() : Map.of(id, name));
        apps.add(app);
        assertThat(app.sidecar().orElseThrow().awaitAttached(Duration.ofSeconds(10))).as("attached").isTrue();
        return app;
    }

    @Test
    void aPublishedNameIsRegisteredUnderTheSidecarsAddressWithTheSidecarsLease() {
        attached("shop.1", new Shop("one"), "example.shop");
        try (NameServer ns = mesh.nameServer()) {
            NameServer.Entry entry = Poll.untilPresent(ns, "example.shop");
            assertThat(entry.uri()).isEqualTo(PyroURI.parse("PYRO:shop.1@" + mesh.sidecar.publicLocation()));
            assertThat(entry.metadata()).containsExactly("test:shop.1");
        }
        assertThat(mesh.ns.registry().lookup("example.shop").expires()).as("a leased registration").isNotNull();
    }

    /** Opens shops in the daemon it is registered in; each travels back as a reference (Pyro's autoproxy). */
    @Expose
    public static class Branches {
        private final Daemon daemon;

        Branches(Daemon daemon) {
            this.daemon = daemon;
        }

        public Object open(String owner) {
            Shop shop = new Shop(owner);
            daemon.register(shop, "shop." + owner);
            return shop;
        }
    }

    @Test
    void aReferenceHandedOutByAnAttachedAppLeadsThroughTheSidecar() {
        Daemon app = attached("shop.1", new Shop("one"), null);
        app.register(new Branches(app), "branches");
        assertThat(app.sidecar().orElseThrow().awaitAttached(Duration.ofSeconds(10))).isTrue();
        try (Proxy branches = mesh.proxy("PYRO:branches@" + mesh.sidecar.publicLocation());
                Proxy opened = (Proxy) branches.call("open", "two")) {
            assertThat(opened.uri()).as("registered by the call that hands it out").isEqualTo(PyroURI.parse("PYRO:shop.two@" + mesh.sidecar.publicLocation()));
            assertThat(opened.call("echo", "hi")).isEqualTo("two: hi");
        }
    }

    @Test
    void behindNatTheNamesCarryTheNatAddress() {
        try (Sidecar natted = TestMesh.sidecarFor(mesh.ns).natHost("sidecar.example").natPort(19100).start()) {
            assertThat(natted.publicLocation()).isEqualTo("sidecar.example:19100");
            Daemon app = Daemon.builder().config(TestMesh.CONFIG).sidecar(natted.localAddress()).build();
            apps.add(app);
            app.register(new Shop("nat"), "shop.nat");
            app.sidecar().orElseThrow().publish("example.nat", "shop.nat", Set.of());
            assertThat(app.sidecar().orElseThrow().awaitAttached(Duration.ofSeconds(10))).isTrue();
            assertThat(mesh.ns.registry().lookup("example.nat").uri()).isEqualTo("PYRO:shop.nat@sidecar.example:19100");
            assertThat(app.sidecar().orElseThrow().uriFor("shop.nat")).contains(PyroURI.parse("PYRO:shop.nat@sidecar.example:19100"));
            app.shutdown();
        }
    }

    @Test
    void callsByNameReachTheAppThroughTheSidecar() {
        Shop shop = new Shop("one");
        attached("shop.1", shop, "example.shop");
        try (Proxy proxy = mesh.proxy(mesh.byName("example.shop"))) {
            assertThat(proxy.call("echo", "hello")).isEqualTo("one: hello");
            try (CloseableIterator<Object> items = proxy.stream("count", 3)) {
                List<Object> seen = new ArrayList<>();
                items.forEachRemaining(seen::add);
                assertThat(seen).containsExactly(0L, 1L, 2L);
            }
            assertThat(proxy.batch().call("echo", "a").call("echo", "b").execute()).toIterable().containsExactly("one: a", "one: b");
            assertThat(proxy.metadata().methods()).contains("echo", "count", "slow", "fail");
        }
        assertThat(shop.calls()).isEqualTo(4);
    }

    @Test
    void correlationIdAndAnnotationsTravelBothWaysAndTheAppsErrorsArriveUnchanged() {
        attached("shop.1", new Shop("one"), "example.shop");
        UUID correlation = UUID.randomUUID();
        CallContext context = CallContext.current();
        context.setCorrelationId(correlation);
        context.setAnnotations(Map.of("test", "sent".getBytes(StandardCharsets.UTF_8)));
        try (Proxy proxy = mesh.proxy(mesh.byName("example.shop"))) {
            assertThat(proxy.call("context")).isEqualTo(correlation + " sent");
            assertThat(new String(context.receivedAnnotations().get("back"), StandardCharsets.UTF_8)).isEqualTo("from one");
            assertThatThrownBy(() -> proxy.call("fail"))
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("out of stock at one");
        } finally {
            context.setAnnotations(Map.of());
            context.setCorrelationId(null);
        }
    }

    @Test
    void anUnknownIdIsNotFoundNamingTheSidecar() {
        attached("shop.1", new Shop("one"), null);
        try (Proxy proxy = mesh.proxy("PYRO:no.such.object@" + mesh.sidecar.publicLocation())) {
            assertThatThrownBy(() -> proxy.call("echo", "x"))
                    .isInstanceOf(DaemonError.class)
                    .hasMessageStartingWith("unknown object: no.such.object (sidecar ");
        }
    }

    @Test
    void anObjectWithoutANameIsReachableByItsUriOnly() {
        attached("shop.anonymous", new Shop("anon"), null);
        try (Proxy proxy = mesh.proxy("PYRO:shop.anonymous@" + mesh.sidecar.publicLocation())) {
            assertThat(proxy.call("echo", "x")).isEqualTo("anon: x");
        }
        try (NameServer ns = mesh.nameServer()) {
            assertThat(ns.list()).containsOnlyKeys("Pyro.NameServer");
        }
    }

    @Test
    void whenTheAppShutsDownItsNamesGoAndItsCallsFailAtOnceAsUnavailable() {
        Daemon app = attached("shop.1", new Shop("one"), "example.shop");
        try (NameServer ns = mesh.nameServer()) {
            Poll.untilPresent(ns, "example.shop");
            app.shutdown();
            Poll.until(Duration.ofSeconds(1), "the name is removed", () -> !ns.list().containsKey("example.shop"));
        }
        try (Proxy proxy = mesh.proxy("PYRO:shop.1@" + mesh.sidecar.publicLocation())) {
            assertThatThrownBy(() -> proxy.call("echo", "x"))
                    .isInstanceOf(CommunicationError.class)
                    .hasMessageContaining("the app that served 'shop.1' has gone");
        }
    }

    @Test
    void objectsRegisteredAndUnregisteredLaterFollowTheDaemon() {
        Daemon app = attached("shop.1", new Shop("one"), "example.shop");
        SidecarAttachment sidecar = app.sidecar().orElseThrow();
        app.register(new Shop("two"), "shop.2");
        sidecar.publish("example.shop.two", "shop.2", Set.of());
        try (NameServer ns = mesh.nameServer()) {
            Poll.untilPresent(ns, "example.shop.two");
            try (Proxy proxy = mesh.proxy(mesh.byName("example.shop.two"))) {
                assertThat(proxy.call("echo", "x")).isEqualTo("two: x");
            }
            app.unregister("shop.1");
            Poll.until(Duration.ofSeconds(1), "the name of an unregistered object is removed",
                    () -> !ns.list().containsKey("example.shop"));
            assertThat(ns.list()).containsKey("example.shop.two");
        }
        assertThat(sidecar.uriFor("shop.2")).contains(PyroURI.parse("PYRO:shop.2@" + mesh.sidecar.publicLocation()));
    }

    @Test
    void theDaemonsReadinessIsItsAttachment() throws Exception {
        Daemon app = Daemon.builder().config(TestMesh.CONFIG).sidecar(mesh.sidecar.localAddress()).build();
        apps.add(app);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", app.port()).usePlaintext().build();
        try {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
            assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .as("nothing registered, nothing attached").isEqualTo(ServingStatus.NOT_SERVING);
            app.register(new Shop("one"), "shop.1");
            assertThat(app.sidecar().orElseThrow().awaitAttached(Duration.ofSeconds(10))).isTrue();
            Poll.until(Duration.ofSeconds(5), "serving once attached",
                    () -> health.check(HealthCheckRequest.getDefaultInstance()).getStatus() == ServingStatus.SERVING);
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void pyroServeHasTheSidecarRegisterTheNames() throws Exception {
        Daemon app = Daemon.builder().config(TestMesh.CONFIG).sidecar(mesh.sidecar.localAddress()).build();
        apps.add(app);
        Thread serving = new Thread(() -> Pyro.serve(Map.of(new Shop("served"), "example.served"), app, true, false));
        serving.start();
        try (NameServer ns = mesh.nameServer()) {
            NameServer.Entry entry = Poll.untilPresent(ns, "example.served");
            assertThat(entry.uri().location()).as("through the sidecar").isEqualTo(mesh.sidecar.publicLocation());
            assertThat(entry.uri().object()).as("serve() picks the ids").matches("obj_[0-9a-f]{32}");
        }
        try (Proxy proxy = mesh.proxy(mesh.byName("example.served"))) {
            assertThat(proxy.call("echo", "x")).isEqualTo("served: x");
        }
        app.shutdown();
        serving.join(10_000);
        assertThat(serving.isAlive()).as("serve() returns when the daemon shuts down").isFalse();
    }

    @Test
    void aDaemonOnAUnixSocketIsReachedThroughIt(@TempDir Path directory) {
        // Netty warns on every connection given an option its socket type lacks (TCP keepalive on a unix socket)
        Logger netty = Logger.getLogger("io.grpc.netty.shaded.io.netty.bootstrap");
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler collect = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record.getMessage() + " " + Arrays.toString(record.getParameters()));
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        netty.addHandler(collect);
        try {
            callAnAppOnAUnixSocketThroughTheSidecar(directory);
        } finally {
            netty.removeHandler(collect);
        }
        assertThat(warnings).as("Netty's warnings while the sidecar connected to the app").isEmpty();
    }

    private void callAnAppOnAUnixSocketThroughTheSidecar(Path directory) {
        Daemon app = Daemon.builder().config(TestMesh.CONFIG).unixSocket(directory.resolve("app.sock").toString())
                .sidecar(mesh.sidecar.localAddress()).build();
        apps.add(app);
        app.register(new Shop("unix"), "shop.unix");
        app.sidecar().orElseThrow().publish("example.unix", "shop.unix", Set.of());
        assertThat(app.sidecar().orElseThrow().awaitAttached(Duration.ofSeconds(10))).isTrue();
        try (Proxy proxy = mesh.proxy(mesh.byName("example.unix"))) {
            assertThat(proxy.call("echo", "x")).isEqualTo("unix: x");
        }
    }

    @Test
    void aDaemonWithoutASidecarHasNoAttachmentAndNoHealthService() {
        try (Daemon plain = Daemon.builder().config(TestMesh.CONFIG).build()) {
            assertThat(plain.sidecar()).isEmpty();
        }
    }

    @Test
    void aMalformedSidecarAddressIsRefusedBeforeTheDaemonListens() {
        assertThatThrownBy(() -> Daemon.builder().config(TestMesh.CONFIG).sidecar("no port here").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a sidecar address (host:port): no port here");
        assertThatThrownBy(() -> Daemon.builder().config(TestMesh.CONFIG).sidecar("./u:/run/sidecar.sock").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a sidecar address (host:port): ./u:/run/sidecar.sock");
    }

    @Test
    void publishingRefusesObjectsTheDaemonDoesNotHave() {
        Daemon app = attached("shop.1", new Shop("one"), null);
        assertThatThrownBy(() -> app.sidecar().orElseThrow().publish("x", "not.registered", Set.of()))
                .isInstanceOf(DaemonError.class).hasMessage("object isn't registered: not.registered");
        assertThatThrownBy(() -> app.sidecar().orElseThrow().publish("x", "Pyro.Daemon", Set.of()))
                .isInstanceOf(DaemonError.class);
        assertThatThrownBy(() -> app.sidecar().orElseThrow().publish("", "shop.1", Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNameTakenInTheNameServerBySomeoneElseIsNotTakenOverButTakenOnceFree() {
        try (NameServer ns = mesh.nameServer()) {
            ns.register("example.shop", PyroURI.parse("PYRO:elsewhere@10.9.9.9:9100"));
        }
        // the refusal is logged by the daemon, which keeps trying; the name stays the other one's
        Daemon app = mesh.app(Map.of("shop.1", new Shop("one")), Map.of("shop.1", "example.shop"));
        apps.add(app);
        assertThat(app.sidecar().orElseThrow().awaitAttached(Duration.ofMillis(500))).isFalse();
        assertThat(mesh.ns.registry().lookup("example.shop").uri()).isEqualTo("PYRO:elsewhere@10.9.9.9:9100");

        // once the other registration is gone, the daemon's next try gets the name
        try (NameServer ns = mesh.nameServer()) {
            ns.remove("example.shop");
        }
        assertThat(app.sidecar().orElseThrow().awaitAttached(Duration.ofSeconds(10))).isTrue();
        assertThat(mesh.ns.registry().lookup("example.shop").uri()).isEqualTo("PYRO:shop.1@" + mesh.sidecar.publicLocation());
    }

    @Test
    void theSidecarsOwnErrorsNameItInTheErrorDetail() {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", mesh.sidecar.port()).usePlaintext().build();
        try {
            StatusRuntimeException failure = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> InvokerGrpc.newBlockingStub(channel).invoke(InvokeRequest.newBuilder().setObject("nobody").setMethod("x").build()));
            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            ErrorDetail detail = failure.getTrailers().get(GrpcErrors.ERROR_DETAIL);
            assertThat(detail.getType()).isEqualTo("DaemonError");
            assertThat(detail.getHop()).startsWith("sidecar 127.0.0.1:");
        } finally {
            channel.shutdownNow();
        }
    }
}
