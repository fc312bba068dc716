package io.pyromesh.sidecar;

import static io.pyromesh.sidecar.RawLease.object;
import static io.pyromesh.sidecar.RawLease.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.naming.NameServer;
import io.pyromesh.proto.v1.AppMessage;
import io.pyromesh.proto.v1.AttachRequest;
import io.pyromesh.proto.v1.AttachedObject;
import io.pyromesh.proto.v1.Endpoint;
import io.pyromesh.proto.v1.ErrorDetail;
import io.pyromesh.proto.v1.ObjectsUpdate;
import io.pyromesh.proto.v1.SidecarMessage;
import io.pyromesh.proto.v1.Updated;
import io.pyromesh.server.Daemon;
import io.pyromesh.uri.PyroURI;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input at the Attach stream: every malformed attach or update is refused with the status that
 * sidecar.proto lists, a message naming the problem and an ErrorDetail naming the sidecar; nothing of a
 * refused attach is attached, and a refused update leaves the lease as it was.
 */
@Timeout(60)
class AttachRefusalTest {
    private final TestMesh mesh = TestMesh.start();
    /** A real Invoker endpoint serving shop.1 and shop.2, attached by nobody. */
    private final Daemon endpoint = Daemon.builder().config(TestMesh.CONFIG).host("127.0.0.1").build();
    private final List<AutoCloseable> closing = new ArrayList<>();

    AttachRefusalTest() {
        endpoint.register(new Shop("one"), "shop.1");
        endpoint.register(new Shop("two"), "shop.2");
    }

    @AfterEach
    void stop() throws Exception {
        java.util.Collections.reverse(closing);   // the last opened closes first
        for (AutoCloseable each : closing) {
            each.close();
        }
        endpoint.shutdown();
        mesh.close();
    }

    private RawLease lease() {
        RawLease lease = new RawLease(mesh.sidecar.localPort());
        closing.add(lease);
        return lease;
    }

    /** Sends {@code first} and returns how the sidecar ended the stream. */
    private Status refusalOf(AppMessage first) throws Exception {
        Status status = lease().send(first).ended();
        assertThat(status.isOk()).as("refused").isFalse();
        return status;
    }

    private Status refusalOf(AttachRequest request) throws Exception {
        return refusalOf(AppMessage.newBuilder().setAttach(request).build());
    }

    private void assertRefused(AttachRequest request, Status.Code code, String message) throws Exception {
        Status status = refusalOf(request);
        assertThat(status.getCode()).isEqualTo(code);
        assertThat(status.getDescription()).isEqualTo(message + " (sidecar " + mesh.sidecar.publicLocation() + ")");
        assertThat(mesh.sidecar.attachedApps()).as("nothing attached").isZero();
    }

    @Nested
    class MalformedAttaches {
        @Test
        void noObjects() throws Exception {
            assertRefused(request(endpoint.port()), Status.Code.INVALID_ARGUMENT, "an attach must announce at least one object");
        }

        @Test
        void duplicateIds() throws Exception {
            assertRefused(request(endpoint.port(), object("shop.1", ""), object("shop.1", "other")),
                    Status.Code.INVALID_ARGUMENT, "the object id 'shop.1' is announced twice");
        }

        @Test
        void emptyOrUnusableOrOverlongIds() throws Exception {
            assertRefused(request(endpoint.port(), object("", "")), Status.Code.INVALID_ARGUMENT, "an object id must not be empty");
            assertRefused(request(endpoint.port(), object("shop 1", "")), Status.Code.INVALID_ARGUMENT,
                    "invalid object id 'shop 1': it must be without whitespace or '@'");
            assertRefused(request(endpoint.port(), object("shop@host", "")), Status.Code.INVALID_ARGUMENT,
                    "invalid object id 'shop@host': it must be without whitespace or '@'");
            assertRefused(request(endpoint.port(), object("x".repeat(1025), "")), Status.Code.INVALID_ARGUMENT,
                    "object id too long: 1025 characters, at most 1024");
        }

        @Test
        void duplicateNamesAndTagsWithoutAName() throws Exception {
            assertRefused(request(endpoint.port(), object("shop.1", "shop"), object("shop.2", "shop")),
                    Status.Code.INVALID_ARGUMENT, "the name 'shop' is announced twice");
            assertRefused(request(endpoint.port(), object("shop.1", "", "tag")), Status.Code.INVALID_ARGUMENT,
                    "object 'shop.1' has metadata tags but no name to register them with");
        }

        @Test
        void namesAndTagsTheNameServerWouldRefuse() throws Exception {
            assertRefused(request(endpoint.port(), object("shop.1", "n".repeat(1025))), Status.Code.INVALID_ARGUMENT,
                    "name too long: 1025 characters, at most 1024");
            assertRefused(request(endpoint.port(), object("shop.1", "shop", "")), Status.Code.INVALID_ARGUMENT,
                    "a metadata tag must be 1 to 512 characters long: ''");
            String[] tooMany = new String[65];
            for (int i = 0; i < tooMany.length; i++) {
                tooMany[i] = "tag" + i;
            }
            assertRefused(request(endpoint.port(), object("shop.1", "shop", tooMany)), Status.Code.INVALID_ARGUMENT,
                    "too many metadata tags: 65, at most 64");
        }

        @Test
        void noEndpointOrAPortOutOfRangeOrABadSocket() throws Exception {
            AttachRequest withoutEndpoint = request(endpoint.port(), object("shop.1", "")).toBuilder().clearEndpoint().build();
            assertRefused(withoutEndpoint, Status.Code.INVALID_ARGUMENT, "an attach must give the endpoint where the app serves Invoker");
            assertRefused(withEndpoint(Endpoint.getDefaultInstance()), Status.Code.INVALID_ARGUMENT,
                    "the endpoint has neither a loopback port nor a unix socket");
            assertRefused(request(70000, object("shop.1", "")), Status.Code.INVALID_ARGUMENT,
                    "the endpoint's loopback port 70000 is not in 1..65535");
            assertRefused(withEndpoint(Endpoint.newBuilder().setUnixSocket("").build()), Status.Code.INVALID_ARGUMENT,
                    "the endpoint's unix socket must be 1 to 107 bytes long, not 0");
            assertRefused(withEndpoint(Endpoint.newBuilder().setUnixSocket("/tmp/" + "s".repeat(200)).build()), Status.Code.INVALID_ARGUMENT,
                    "the endpoint's unix socket must be 1 to 107 bytes long, not 205");
            assertRefused(withEndpoint(Endpoint.newBuilder().setUnixSocket("/tmp/a\nb").build()), Status.Code.INVALID_ARGUMENT,
                    "the endpoint's unix socket has a newline or a NUL in it");
        }

        private AttachRequest withEndpoint(Endpoint where) {
            return request(endpoint.port(), object("shop.1", "")).toBuilder().setEndpoint(where).build();
        }

        @Test
        void anOverlongAppLabel() throws Exception {
            assertRefused(request(endpoint.port(), object("shop.1", "")).toBuilder().setApp("a".repeat(257)).build(),
                    Status.Code.INVALID_ARGUMENT, "the app label is longer than 256 characters");
        }

        @Test
        void moreObjectsThanAnAppMayAttach() throws Exception {
            AttachRequest.Builder many = request(endpoint.port()).toBuilder();
            for (int i = 0; i <= AttachRules.MAX_OBJECTS_PER_APP; i++) {
                many.addObjects(object("o" + i, ""));
            }
            assertRefused(many.build(), Status.Code.RESOURCE_EXHAUSTED, "an app may attach at most 10000 objects");
        }

        @Test
        void aFirstMessageThatIsNotAnAttach() throws Exception {
            Status update = refusalOf(AppMessage.newBuilder().setUpdate(ObjectsUpdate.getDefaultInstance()).build());
            assertThat(update.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(update.getDescription()).startsWith("the first message on an Attach stream must be an AttachRequest");
            Status empty = refusalOf(AppMessage.getDefaultInstance());
            assertThat(empty.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(empty.getDescription()).startsWith("a message on the Attach stream must be an AttachRequest or an ObjectsUpdate");
        }

        @Test
        void refusalsCarryAnErrorDetailNamingTheSidecar() throws Exception {
            RawLease lease = lease().send(request(endpoint.port()));
            StatusRuntimeException failure = lease.ended().asRuntimeException();
            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            // the trailers come with the stream's end, through the observer's exception
            ErrorDetail detail = lease.endTrailers().get(GrpcErrors.ERROR_DETAIL);
            assertThat(detail.getType()).isEqualTo("DaemonError");
            assertThat(detail.getHop()).isEqualTo("sidecar " + mesh.sidecar.publicLocation());
        }
    }

    @Nested
    class EndpointsThatDoNotServe {
        @Test
        void nothingListensThere() throws Exception {
            int free;
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                free = socket.getLocalPort();
            }
            Status status = refusalOf(request(free, object("shop.1", "")));
            assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(status.getDescription()).startsWith("the endpoint 127.0.0.1:" + free + " does not answer: ");
        }

        @Test
        void itDoesNotServeAnAnnouncedObject() throws Exception {
            assertRefused(request(endpoint.port(), object("shop.1", "shop"), object("shop.9", "")), Status.Code.FAILED_PRECONDITION,
                    "the endpoint 127.0.0.1:" + endpoint.port() + " does not serve the object 'shop.9': unknown object: shop.9");
            try (NameServer ns = mesh.nameServer()) {
                assertThat(ns.list()).as("no name of a refused attach").doesNotContainKey("shop");
            }
        }

        @Test
        void itIsAGrpcServerWithoutInvoker() throws Exception {
            Server other = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new HealthStatusManager().getHealthService()).build().start();
            closing.add(other::shutdownNow);
            assertRefused(request(other.getPort(), object("shop.1", "")), Status.Code.FAILED_PRECONDITION,
                    "the endpoint 127.0.0.1:" + other.getPort() + " does not serve pyromesh.v1.Invoker");
        }

        @Test
        void itAcceptsConnectionsButNeverAnswers() throws Exception {
            ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            closing.add(() -> {
                silent.close();
                for (Socket socket : accepted) {
                    socket.close();
                }
            });
            assertRefused(request(silent.getLocalPort(), object("shop.1", "")), Status.Code.FAILED_PRECONDITION,
                    "the endpoint 127.0.0.1:" + silent.getLocalPort() + " did not answer within 5 s");
        }
    }

    @Nested
    class Conflicts {
        @Test
        void anIdOrANameAnotherAppHolds() throws Exception {
            RawLease first = lease().send(request(endpoint.port(), object("shop.1", "shop")));
            assertThat(first.answer().hasAttached()).isTrue();

            Status sameId = refusalOf(request(endpoint.port(), object("shop.1", "")));
            assertThat(sameId.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
            assertThat(sameId.getDescription()).startsWith("the object id 'shop.1' is already attached by app 'raw test app' (lease-");
            Status sameName = refusalOf(request(endpoint.port(), object("shop.2", "shop")));
            assertThat(sameName.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
            assertThat(sameName.getDescription()).startsWith("the name 'shop' is already held by app 'raw test app' (lease-");
            assertThat(mesh.sidecar.attachedApps()).isOne();
        }

        @Test
        void aNameTheNameServerHasForSomeoneElse() throws Exception {
            try (NameServer ns = mesh.nameServer()) {
                ns.register("shop", PyroURI.parse("PYRO:shop@10.9.9.9:9100"));
            }
            assertRefused(request(endpoint.port(), object("shop.1", "shop")), Status.Code.ALREADY_EXISTS,
                    "the name 'shop' is registered in the name server to PYRO:shop@10.9.9.9:9100, not to this sidecar");
        }

        @Test
        void aSecondAttachOnTheStreamEndsTheLease() throws Exception {
            RawLease lease = lease().send(request(endpoint.port(), object("shop.1", "shop")));
            assertThat(lease.answer().hasAttached()).isTrue();
            lease.send(request(endpoint.port(), object("shop.2", "")));
            Status ended = lease.ended();
            assertThat(ended.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(ended.getDescription()).startsWith("an Attach stream carries one AttachRequest, as its first message");
            try (NameServer ns = mesh.nameServer()) {
                Poll.until(Duration.ofSeconds(1), "the ended lease's name is removed", () -> !ns.list().containsKey("shop"));
            }
        }
    }

    @Nested
    class Updates {
        private RawLease attached() throws Exception {
            RawLease lease = lease().send(request(endpoint.port(), object("shop.1", "shop")));
            assertThat(lease.answer().hasAttached()).isTrue();
            return lease;
        }

        private Updated update(RawLease lease, long id, List<AttachedObject> put, List<String> remove) throws Exception {
            lease.send(ObjectsUpdate.newBuilder().setUpdateId(id).addAllPut(put).addAllRemove(remove).build());
            SidecarMessage answer = lease.answer();
            assertThat(answer.hasUpdated()).isTrue();
            assertThat(answer.getUpdated().getUpdateId()).isEqualTo(id);
            return answer.getUpdated();
        }

        @Test
        void anUpdatePutsAndRemovesObjectsAndTheirNames() throws Exception {
            RawLease lease = attached();
            Updated added = update(lease, 7, List.of(object("shop.2", "shop.two", "kind:shop")), List.of());
            assertThat(added.getCode()).isZero();
            assertThat(added.getObjects(0).getUri()).isEqualTo("PYRO:shop.2@" + mesh.sidecar.publicLocation());
            try (NameServer ns = mesh.nameServer()) {
                assertThat(Poll.untilPresent(ns, "shop.two").metadata()).containsExactly("kind:shop");
                Updated renamed = update(lease, 8, List.of(object("shop.1", "shop.renamed")), List.of("shop.2"));
                assertThat(renamed.getCode()).isZero();
                Poll.untilPresent(ns, "shop.renamed");
                Poll.until(Duration.ofSeconds(1), "the old names go", () -> !ns.list().containsKey("shop") && !ns.list().containsKey("shop.two"));
            }
        }

        @Test
        void aRefusedUpdateChangesNothingAndTheLeaseGoesOn() throws Exception {
            RawLease lease = attached();
            Updated unserved = update(lease, 1, List.of(object("shop.9", "nine")), List.of());
            assertThat(unserved.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION.value());
            assertThat(unserved.getMessage()).contains("does not serve the object 'shop.9'");
            Updated bad = update(lease, 2, List.of(object("bad id", "")), List.of());
            assertThat(bad.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
            Updated stolen = update(lease, 3, List.of(object("shop.2", "shop")), List.of());
            assertThat(stolen.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS.value());
            assertThat(stolen.getMessage()).isEqualTo("the name 'shop' is already held by object 'shop.1' of this app");
            assertThat(update(lease, 4, List.of(), List.of("never.attached")).getCode()).isZero();
            try (NameServer ns = mesh.nameServer()) {
                assertThat(ns.list()).containsKey("shop").doesNotContainKey("nine");
            }
            assertThat(mesh.sidecar.attachedApps()).isOne();
        }

        @Test
        void anAppMayEndItsLeaseAndItsNamesGo() throws Exception {
            RawLease lease = attached();
            lease.finish();
            assertThat(lease.ended().isOk()).isTrue();
            try (NameServer ns = mesh.nameServer()) {
                Poll.until(Duration.ofSeconds(1), "the name is removed", () -> !ns.list().containsKey("shop"));
            }
            assertThat(mesh.sidecar.attachedApps()).isZero();
        }
    }

    @Nested
    class Bounds {
        @Test
        void aStreamThatSendsNoAttachRequestIsEndedAfterTheFirstMessageTimeout() throws Exception {
            try (Sidecar quick = TestMesh.sidecarFor(mesh.ns).firstMessageTimeout(Duration.ofMillis(500)).start();
                    RawLease silent = new RawLease(quick.localPort())) {
                Status status = silent.ended();
                assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(status.getDescription()).startsWith("no AttachRequest within 0.5 s of opening the Attach stream");
            }
        }

        @Test
        void openStreamsAreBounded() throws Exception {
            // the same bound as the default 2,000, lower so that a slow machine opens them all in good time;
            // silent streams would end after the first-message timeout, which this sidecar makes long
            int limit = 40;
            Sidecar small = TestMesh.sidecarFor(mesh.ns).maxOpenAttachStreams(limit).firstMessageTimeout(Duration.ofMinutes(5)).start();
            closing.add(small);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", small.localPort()).usePlaintext().build();
            closing.add(channel::shutdownNow);
            for (int i = 0; i < limit; i++) {
                closing.add(new RawLease(channel));
            }
            Poll.until(Duration.ofSeconds(30), "all " + limit + " streams open on the sidecar", () -> small.openAttachStreams() == limit);
            try (RawLease oneMore = new RawLease(channel)) {
                Status status = oneMore.ended();
                assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(status.getDescription()).startsWith("this sidecar has 40 Attach streams open, its limit");
            }
            closing.remove(closing.size() - 1).close();   // one stream ends: room for one again
            Poll.until(Duration.ofSeconds(30), "a stream's end frees its place", () -> small.openAttachStreams() == limit - 1);
            RawLease again = new RawLease(channel);
            closing.add(again);
            assertThat(again.endedWithin(Duration.ofMillis(500))).as("open, waiting for its AttachRequest").isNull();
        }

        @Test
        void attachesBeingCheckedAtOnceAreBounded() throws Exception {
            ServerSocket silent = new ServerSocket(0, 200, java.net.InetAddress.getLoopbackAddress());
            closing.add(silent);
            List<RawLease> waiting = new ArrayList<>();
            try {
                for (int i = 0; i < AttachService.MAX_ATTACHES_UNDER_WAY; i++) {
                    waiting.add(new RawLease(mesh.sidecar.localPort()).send(request(silent.getLocalPort(), object("o" + i, ""))));
                }
                Thread.sleep(500);   // all of them are waiting for the silent endpoint now
                Status status = lease().send(request(endpoint.port(), object("shop.1", ""))).ended();
                assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(status.getDescription()).startsWith("64 attaches are being checked already; attach again later");
                for (RawLease each : waiting) {
                    assertThat(each.ended().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                }
                assertThat(lease().send(request(endpoint.port(), object("shop.1", ""))).answer().hasAttached())
                        .as("room again once they are checked").isTrue();
            } finally {
                waiting.forEach(RawLease::close);
            }
        }
    }

    @Test
    void anAttachOverTheMessageSizeIsRefusedWithTheLimit() throws Exception {
        try (Sidecar small = TestMesh.sidecarFor(mesh.ns).config(TestMesh.CONFIG.withMaxMessageSize(4096)).start()) {
            AttachRequest.Builder over = request(endpoint.port()).toBuilder();
            for (int i = 0; i < 100; i++) {
                over.addObjects(object("object." + "x".repeat(40) + i, ""));
            }
            try (RawLease lease = new RawLease(small.localPort())) {
                Status status = lease.send(over.build()).ended();
                assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(status.getDescription()).startsWith("message too large (").contains(", max=4096)");
                assertThat(lease.endTrailers().get(GrpcErrors.ERROR_DETAIL).getType()).isEqualTo("MessageTooLargeError");
            }
            for (int i = 0; i < 2000; i++) {
                over.addObjects(object("more." + "y".repeat(40) + i, ""));
            }
            try (RawLease lease = new RawLease(small.localPort())) {
                assertThat(lease.send(over.build()).ended().getCode()).as("refused by the transport before it is read")
                        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            }
            assertThat(small.attachedApps()).isZero();
        }
    }
}
