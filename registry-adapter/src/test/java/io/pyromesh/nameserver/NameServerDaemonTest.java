package io.pyromesh.nameserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pyromesh.Pyro;
import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.NamingError;
import io.pyromesh.errors.TypeError;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.internal.NameServerLocator;
import io.pyromesh.naming.NameServer;
import io.pyromesh.proto.v1.ListRequest;
import io.pyromesh.proto.v1.LookupRequest;
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.proto.v1.PingRequest;
import io.pyromesh.proto.v1.RegisterRequest;
import io.pyromesh.proto.v1.RemoveRequest;
import io.pyromesh.proto.v1.RenewLeaseRequest;
import io.pyromesh.proto.v1.Tags;
import io.pyromesh.proto.v1.YpLookupRequest;
import io.pyromesh.server.Daemon;
import io.pyromesh.testing.MutableClock;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.utils.EchoServer;
import io.pyromesh.values.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real name server on 127.0.0.1, used through all its faces: PYRONAME proxies, the Pyro object, gRPC. */
class NameServerDaemonTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private NameServerDaemon ns;
    private Daemon objects;
    private PyroConfig clients;

    @BeforeEach
    void start() {
        ns = NameServerDaemon.builder().config(PyroConfig.defaults()).host("127.0.0.1").port(0).clock(clock).start();
        objects = new Daemon("127.0.0.1", 0);
        clients = PyroConfig.defaults().withNsHost("127.0.0.1").withNsPort(ns.uri().port());
    }

    @AfterEach
    void stop() {
        objects.shutdown();
        ns.close();
    }

    private NameServer nameServer() {
        return new Proxy(ns.uri(), clients).as(NameServer.class);
    }

    @Test
    void theNameServerRegistersItself() {
        try (NameServer names = nameServer()) {
            assertThat(names.lookup("Pyro.NameServer")).isEqualTo(ns.uri());
            assertThat(names.count()).isEqualTo(1);
            Tuple withMetadata = names.lookup("Pyro.NameServer", true);
            assertThat(withMetadata.get(1)).isEqualTo(Set.of("class:io.pyromesh.nameserver.NameServerObject"));
        }
    }

    @Test
    void theNameServerIsItselfReachableByName() {
        try (Proxy byName = new Proxy(PyroURI.name("Pyro.NameServer", "127.0.0.1", ns.uri().port()), clients)) {
            assertThat(byName.call("count")).isEqualTo(1L);
        }
    }

    @Test
    void aPyronameProxyFindsItsObject() {
        PyroURI echo = objects.register(new EchoServer(), "test.echoserver");
        try (NameServer names = nameServer()) {
            names.register("test.echoserver", echo);
        }
        try (Proxy proxy = new Proxy(PyroURI.name("test.echoserver", "127.0.0.1", ns.uri().port()), clients)) {
            assertThat(proxy.call("echo", "found by name")).isEqualTo("found by name");
        }
        try (Proxy proxy = new Proxy(PyroURI.name("test.echoserver"), clients)) {
            assertThat(proxy.call("echo", "via NS_HOST")).isEqualTo("via NS_HOST");
        }
    }

    @Test
    void aPyronameProxyFollowsItsObjectToANewAddress() {
        PyroURI first = objects.register(new EchoServer(), "echo");
        try (NameServer names = nameServer()) {
            names.register("moving", first);
            try (Proxy proxy = new Proxy(PyroURI.name("moving", "127.0.0.1", ns.uri().port()), clients)) {
                assertThat(proxy.call("echo", 1)).isEqualTo(1L);
                objects.shutdown();
                assertThatThrownBy(() -> proxy.call("echo", 2)).isInstanceOf(io.pyromesh.errors.CommunicationError.class);
                objects = new Daemon("127.0.0.1", 0);
                names.register("moving", objects.register(new EchoServer(), "echo"));
                assertThat(proxy.call("echo", 3)).as("looked the name up again").isEqualTo(3L);
            }
        }
    }

    @Test
    void aPyrometaProxyPicksARegistrationWithAllTags() {
        try (NameServer names = nameServer()) {
            names.register("echo.1", objects.register(new EchoServer()), false, Set.of("echo", "fast"));
            names.register("echo.2", objects.register(new EchoServer()), false, Set.of("echo", "slow"));
        }
        try (Proxy proxy = new Proxy(PyroURI.meta(List.of("echo", "fast"), "127.0.0.1", ns.uri().port()), clients)) {
            assertThat(proxy.call("echo", "meta")).isEqualTo("meta");
        }
        try (Proxy proxy = new Proxy(PyroURI.meta(List.of("echo", "green"), "127.0.0.1", ns.uri().port()), clients)) {
            assertThatThrownBy(() -> proxy.call("echo", "x")).isInstanceOf(NamingError.class)
                    .hasMessage("no registrations available with desired metadata properties {'echo', 'green'}");
        }
    }

    @Test
    void unknownNamesAreNamingErrorsAtTheProxy() {
        try (Proxy proxy = new Proxy(PyroURI.name("nope", "127.0.0.1", ns.uri().port()), clients)) {
            assertThatThrownBy(() -> proxy.call("echo", "x")).isInstanceOf(NamingError.class).hasMessage("unknown name: nope");
        }
    }

    @Test
    void lookupDelayWaitsForANameToAppear() throws Exception {
        PyroConfig patient = clients.with("NS_LOOKUP_DELAY", 5.0);
        Thread registrar = new Thread(() -> {
            try {
                Thread.sleep(700);
            } catch (InterruptedException e) {
                return;
            }
            try (NameServer names = nameServer()) {
                names.register("late", objects.register(new EchoServer()));
            }
        });
        registrar.start();
        try (Proxy proxy = new Proxy(PyroURI.name("late", "127.0.0.1", ns.uri().port()), patient)) {
            assertThat(proxy.call("echo", "worth the wait")).isEqualTo("worth the wait");
        }
        registrar.join();
    }

    @Test
    void thePyroObjectKeepsPyrosSignatures() {
        try (Proxy names = new Proxy(ns.uri(), clients)) {
            names.call("register", "a.one", "PYRO:one@h:1", false, List.of("x"));
            names.call("register", "a.two", PyroURI.parse("PYRO:two@h:1"));
            assertThatThrownBy(() -> names.call("register", "a.one", "PYRO:three@h:1", true))
                    .isInstanceOf(NamingError.class).hasMessage("name already registered: a.one");
            assertThatThrownBy(() -> names.call("register", "a.bad", 42))
                    .isInstanceOf(TypeError.class).hasMessage("only URIs or strings can be registered");
            assertThatThrownBy(() -> names.call("register", "a.bad", "PYRO:x@h:1", false, "not-a-set"))
                    .isInstanceOf(io.pyromesh.errors.TypeError.class);
            assertThat(names.call("list", "a.")).isEqualTo(Map.of("a.one", "PYRO:one@h:1", "a.two", "PYRO:two@h:1"));
            assertThat(names.call("yplookup", List.of("x"))).isEqualTo(Map.of("a.one", Tuple.of("PYRO:one@h:1", Set.of("x"))));
            assertThat(names.call("remove", null, "a.")).isEqualTo(2L);
            assertThat(names.call("count")).isEqualTo(1L);
        }
    }

    @Test
    void theGrpcServiceSpeaksTheSameRules() {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", ns.uri().port()).usePlaintext().build();
        try {
            NameServerGrpc.NameServerBlockingStub names = NameServerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            names.ping(PingRequest.getDefaultInstance());
            names.register(RegisterRequest.newBuilder().setName("g.one").setUri("PYRO:one@h:1").addMetadata("t").build());
            assertThat(names.lookup(LookupRequest.newBuilder().setName("g.one").setReturnMetadata(true).build()).getMetadataList())
                    .containsExactly("t");
            assertThat(names.list(ListRequest.newBuilder().setPrefix("g.").build()).getRegistrationsCount()).isEqualTo(1);
            assertThat(names.ypLookup(YpLookupRequest.newBuilder().setMetaAny(Tags.newBuilder().addTags("t")).build())
                    .getRegistrations(0).getName()).isEqualTo("g.one");
            assertStatus(() -> names.lookup(LookupRequest.newBuilder().setName("nope").build()),
                    Status.Code.NOT_FOUND, "NamingError", "unknown name: nope");
            assertStatus(() -> names.register(RegisterRequest.newBuilder().setName("g.one").setUri("PYRO:x@h:1").setSafe(true).build()),
                    Status.Code.ALREADY_EXISTS, "NamingError", "name already registered: g.one");
            assertStatus(() -> names.register(RegisterRequest.newBuilder().setName("").setUri("PYRO:x@h:1").build()),
                    Status.Code.INVALID_ARGUMENT, "NamingError", "a name must not be empty");
            assertStatus(() -> names.register(RegisterRequest.newBuilder().setName("g.bad").setUri("PYRO:x@h").build()),
                    Status.Code.INVALID_ARGUMENT, "PyroError", "invalid port in uri, port=None: PYRO:x@h");
            assertStatus(() -> names.list(ListRequest.newBuilder().setRegex("[").build()),
                    Status.Code.INVALID_ARGUMENT, "NamingError", "invalid regex: Unclosed character class near index 0");
            assertThat(names.remove(RemoveRequest.newBuilder().setRegex("g\\.").build()).getRemoved()).isEqualTo(1);
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void nobodyCanTakeOverTheNameServersOwnName() {
        try (Proxy names = new Proxy(ns.uri(), clients)) {
            assertThatThrownBy(() -> names.call("register", "Pyro.NameServer", "PYRO:evil@attacker.example:1"))
                    .isInstanceOf(NamingError.class)
                    .hasMessage("the name Pyro.NameServer is the name server's own and cannot be registered");
        }
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", ns.uri().port()).usePlaintext().build();
        try {
            NameServerGrpc.NameServerBlockingStub names = NameServerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            for (boolean safe : new boolean[] {false, true}) {
                assertStatus(() -> names.register(RegisterRequest.newBuilder().setName("Pyro.NameServer")
                                .setUri("PYRO:evil@attacker.example:1").setSafe(safe).build()),
                        Status.Code.PERMISSION_DENIED, "NamingError", "the name Pyro.NameServer is the name server's own and cannot be registered");
            }
            assertStatus(() -> names.renewLease(RenewLeaseRequest.newBuilder().setName("Pyro.NameServer").setLeaseSeconds(0.001).build()),
                    Status.Code.INVALID_ARGUMENT, "NamingError", "the registration Pyro.NameServer has no lease to renew");
            assertThat(names.lookup(LookupRequest.newBuilder().setName("Pyro.NameServer").build()).getUri()).isEqualTo(ns.uri().toString());
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void anEmptyPrefixOrRegexRemovesNothingOnEitherFace() {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", ns.uri().port()).usePlaintext().build();
        try (Proxy pyro = new Proxy(ns.uri(), clients)) {
            pyro.call("register", "keep.one", "PYRO:one@h:1");
            pyro.call("register", "keep.two", "PYRO:two@h:1");
            assertThat(pyro.call("remove", null, "")).isEqualTo(0L);
            assertThat(pyro.call("remove", null, null, "")).isEqualTo(0L);
            assertThat(pyro.call("remove", "", "", "")).isEqualTo(0L);
            NameServerGrpc.NameServerBlockingStub grpc = NameServerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            assertThat(grpc.remove(RemoveRequest.newBuilder().setPrefix("").build()).getRemoved()).isZero();
            assertThat(grpc.remove(RemoveRequest.newBuilder().setRegex("").build()).getRemoved()).isZero();
            assertThat(pyro.call("list")).isEqualTo(Map.of("Pyro.NameServer", ns.uri().toString(),
                    "keep.one", "PYRO:one@h:1", "keep.two", "PYRO:two@h:1"));
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void aSlowRegexOverGrpcHoldsUpNoOtherCaller() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", ns.uri().port()).usePlaintext().build();
        try {
            NameServerGrpc.NameServerBlockingStub names = NameServerGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            names.register(RegisterRequest.newBuilder().setName("a".repeat(30) + "!").setUri("PYRO:a@h:1").build());
            java.util.concurrent.CompletableFuture<Throwable> slow = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    names.list(ListRequest.newBuilder().setRegex("(.*a){20}$").build());
                    return null;
                } catch (StatusRuntimeException expected) {
                    return expected;
                }
            });
            // until the name server is matching it (it runs in this JVM, so its threads can be seen)
            while (Thread.getAllStackTraces().values().stream().flatMap(java.util.Arrays::stream)
                    .noneMatch(frame -> frame.getClassName().equals("io.pyromesh.nameserver.TimedRegex"))) {
                Thread.onSpinWait();
            }
            names.register(RegisterRequest.newBuilder().setName("meanwhile").setUri("PYRO:m@h:1").build());
            assertThat(names.lookup(LookupRequest.newBuilder().setName("meanwhile").build()).getUri()).isEqualTo("PYRO:m@h:1");
            assertThat(slow).as("the regex is still being matched").isNotDone();
            assertThat(slow.get()).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(e.getStatus().getDescription()).isEqualTo("regex took too long: (.*a){20}$");
            });
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void leasesExpireUnlessRenewedOverGrpc() throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", ns.uri().port()).usePlaintext().build();
        try {
            NameServerGrpc.NameServerBlockingStub names = NameServerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            names.register(RegisterRequest.newBuilder().setName("leased").setUri("PYRO:l@h:1").setLeaseSeconds(30).build());
            clock.advance(Duration.ofSeconds(20));
            names.renewLease(RenewLeaseRequest.newBuilder().setName("leased").setLeaseSeconds(30).build());
            clock.advance(Duration.ofSeconds(20));
            Thread.sleep(1500); // the once-a-second sweep runs meanwhile and must leave it alone
            assertThat(names.lookup(LookupRequest.newBuilder().setName("leased").build()).getLeaseRemainingSeconds()).isEqualTo(10.0);
            clock.advance(Duration.ofSeconds(11));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ns.registry().store().get("leased").isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(ns.registry().store().get("leased")).as("removed by the sweep").isEmpty();
            assertStatus(() -> names.renewLease(RenewLeaseRequest.newBuilder().setName("leased").setLeaseSeconds(30).build()),
                    Status.Code.NOT_FOUND, "NamingError", "unknown name: leased");
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void locateFindsAnExplicitHostOrFailsWithPyrosMessage() {
        assertThat(NameServerLocator.locate("127.0.0.1", ns.uri().port(), PyroConfig.defaults())).isEqualTo(ns.internalUri());
        assertThatThrownBy(() -> NameServerLocator.locate("127.0.0.1", 1, PyroConfig.defaults()))
                .isInstanceOf(NamingError.class).hasMessage("Failed to locate the nameserver");
    }

    @Test
    void serveRegistersObjectsInTheDaemonAndTheNameServer() throws Exception {
        PyroConfig.setCurrent(clients);
        try {
            Thread server = new Thread(() -> Pyro.serve(Map.of(new EchoServer(), "served.echo"), objects, true, false));
            server.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ns.registry().store().get("served.echo").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            try (Proxy echo = new Proxy(PyroURI.name("served.echo"), clients)) {
                assertThat(echo.call("echo", "served")).isEqualTo("served");
            }
            objects.shutdown();
            server.join(10_000);
            assertThat(server.isAlive()).isFalse();
        } finally {
            PyroConfig.setCurrent(null);
        }
    }

    @Test
    void pyroLocateNsGivesATypedNameServer() {
        PyroConfig.setCurrent(clients);
        try (NameServer names = Pyro.locateNS()) {
            names.ping();
            assertThat(names.list()).containsKey("Pyro.NameServer");
        } finally {
            PyroConfig.setCurrent(null);
        }
    }

    private static void assertStatus(Runnable call, Status.Code code, String pyroError, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).isEqualTo(message);
            assertThat(e.getTrailers().get(GrpcErrors.ERROR_DETAIL).getType()).isEqualTo(pyroError);
        });
    }
}
