package io.pyromesh.nameserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.proto.v1.LookupRequest;
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.proto.v1.RegisterRequest;
import io.pyromesh.proto.v1.RemoveRequest;
import io.pyromesh.proto.v1.SetMetadataRequest;
import io.pyromesh.proto.v1.WatchEvent;
import io.pyromesh.proto.v1.WatchRequest;
import io.pyromesh.proto.v1.WatchResponse.Kind;
import io.pyromesh.proto.v1.WatchResponse;
import io.pyromesh.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The name server's {@code Watch}, against a real server on 127.0.0.1, read as a gateway's cache would. */
@Timeout(120)
class NameServerWatchTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<AutoCloseable> closing = new ArrayList<>();
    private NameServerDaemon ns;
    private ManagedChannel channel;
    private NameServerGrpc.NameServerBlockingStub names;

    private void start(UnaryOperator<NameServerDaemon.Builder> options) {
        ns = options.apply(NameServerDaemon.builder().config(PyroConfig.defaults()).host("127.0.0.1").port(0).clock(clock)).start();
        // a fixed, small flow-control window (no auto-tuning), so that a client that stops reading is soon felt
        channel = NettyChannelBuilder.forAddress("127.0.0.1", ns.uri().port()).usePlaintext().flowControlWindow(64 * 1024).build();
        names = NameServerGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private void start() {
        start(options -> options);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : closing) {
            resource.close();
        }
        if (channel != null) {
            channel.shutdownNow();
        }
        if (ns != null) {
            ns.close();
        }
    }

    private WatchClient watch(long since, String historyId) {
        WatchClient watch = WatchClient.from(channel, since, historyId);
        closing.add(watch);
        return watch;
    }

    private WatchClient watch(WatchRequest request) {
        WatchClient watch = new WatchClient(channel, request);
        closing.add(watch);
        return watch;
    }

    private void register(String name, String... tags) {
        names.register(RegisterRequest.newBuilder().setName(name).setUri("PYRO:" + name + "@10.0.0.1:9100")
                .addAllMetadata(List.of(tags)).build());
    }

    private static List<WatchEvent> events(List<WatchResponse> messages) {
        return messages.stream().flatMap(message -> message.getEventsList().stream()).toList();
    }

    @Test
    void aNewWatcherGetsASnapshotThenTheCurrentMarkerThenChanges() {
        start();
        register("shop", "kind:store");
        register("bank");
        WatchClient watch = watch(0, "");
        WatchResponse reset = watch.next();
        assertThat(reset.getKind()).isEqualTo(Kind.RESET);
        assertThat(reset.getEventsList()).isEmpty();
        long revision = reset.getRevision();
        List<WatchResponse> snapshot = watch.until(Kind.CURRENT);
        assertThat(snapshot.get(snapshot.size() - 1).getRevision()).as("current as of the snapshot").isEqualTo(revision);
        assertThat(events(snapshot)).extracting(WatchEvent::getType, WatchEvent::getName, WatchEvent::getCause, WatchEvent::getRevision)
                .containsExactly(
                        tuple(WatchEvent.Type.PUT, "Pyro.NameServer", WatchEvent.Cause.CAUSE_UNSPECIFIED, revision),
                        tuple(WatchEvent.Type.PUT, "bank", WatchEvent.Cause.CAUSE_UNSPECIFIED, revision),
                        tuple(WatchEvent.Type.PUT, "shop", WatchEvent.Cause.CAUSE_UNSPECIFIED, revision));
        assertThat(events(snapshot).get(2).getRegistration().getMetadataList()).as("metadata always included").containsExactly("kind:store");
        assertThat(events(snapshot).get(2).getRegistration().getUri()).isEqualTo("PYRO:shop@10.0.0.1:9100");

        register("cafe");
        names.setMetadata(SetMetadataRequest.newBuilder().setName("cafe").addMetadata("kind:food").build());
        names.remove(RemoveRequest.newBuilder().setName("bank").build());
        List<WatchEvent> changes = new ArrayList<>();
        while (changes.size() < 3) {
            WatchResponse message = watch.next();
            assertThat(message.getKind()).isEqualTo(Kind.CHANGES);
            assertThat(message.getHistoryId()).isEqualTo(reset.getHistoryId());
            changes.addAll(message.getEventsList());
        }
        assertThat(changes).extracting(WatchEvent::getType, WatchEvent::getName, WatchEvent::getCause, WatchEvent::getRevision)
                .containsExactly(
                        tuple(WatchEvent.Type.PUT, "cafe", WatchEvent.Cause.CLIENT, revision + 1),
                        tuple(WatchEvent.Type.PUT, "cafe", WatchEvent.Cause.CLIENT, revision + 2),
                        tuple(WatchEvent.Type.REMOVED, "bank", WatchEvent.Cause.CLIENT, revision + 3));
        assertThat(changes.get(1).getRegistration().getMetadataList()).containsExactly("kind:food");
    }

    @Test
    void aWatcherThatResumesGetsWhatItMissedWithoutASnapshot() {
        start();
        WatchResponse current;
        try (WatchClient first = WatchClient.from(channel, 0, "")) {
            current = first.until(Kind.CURRENT).get(0);
        }
        register("missed.one");
        register("missed.two");
        names.remove(RemoveRequest.newBuilder().setName("missed.one").build());
        WatchClient resumed = watch(current.getRevision(), current.getHistoryId());
        List<WatchResponse> caughtUp = resumed.until(Kind.CURRENT);
        assertThat(caughtUp).extracting(WatchResponse::getKind).doesNotContain(Kind.RESET, Kind.SNAPSHOT);
        assertThat(events(caughtUp)).extracting(WatchEvent::getType, WatchEvent::getName).containsExactly(
                tuple(WatchEvent.Type.PUT, "missed.one"), tuple(WatchEvent.Type.PUT, "missed.two"),
                tuple(WatchEvent.Type.REMOVED, "missed.one"));
        assertThat(caughtUp.get(caughtUp.size() - 1).getRevision()).isEqualTo(current.getRevision() + 3);
    }

    @Test
    void aWatcherFurtherBehindThanTheLogGetsASnapshot() {
        start(options -> options.changeLogCapacity(3));
        WatchResponse reset;
        try (WatchClient first = WatchClient.from(channel, 0, "")) {
            reset = first.next();
        }
        for (int i = 0; i < 5; i++) {
            register("later." + i);
        }
        WatchClient resumed = watch(reset.getRevision(), reset.getHistoryId());
        WatchResponse again = resumed.next();
        assertThat(again.getKind()).isEqualTo(Kind.RESET);
        assertThat(again.getRevision()).isEqualTo(reset.getRevision() + 5);
        assertThat(events(resumed.until(Kind.CURRENT))).extracting(WatchEvent::getName)
                .containsExactly("Pyro.NameServer", "later.0", "later.1", "later.2", "later.3", "later.4");
    }

    @Test
    void aRevisionOfAnotherRunGetsASnapshot() {
        start();
        WatchResponse first = watch(7, "the-history-of-a-name-server-that-restarted").next();
        assertThat(first.getKind()).isEqualTo(Kind.RESET);
        assertThat(first.getHistoryId()).isNotEqualTo("the-history-of-a-name-server-that-restarted");
    }

    @Test
    void badRequestsAreRefusedWithTheReason() {
        start();
        String history = watch(0, "").next().getHistoryId();
        assertRefused(watch(-1, history), Status.Code.INVALID_ARGUMENT, "since_revision must not be negative, not -1");
        assertRefused(watch(Long.MIN_VALUE, ""), Status.Code.INVALID_ARGUMENT,
                "since_revision must not be negative, not " + Long.MIN_VALUE);
        assertRefused(watch(3, ""), Status.Code.INVALID_ARGUMENT, "since_revision 3 needs the history_id of the watch it came from");
        assertRefused(watch(Long.MAX_VALUE, history), Status.Code.INVALID_ARGUMENT,
                "since_revision " + Long.MAX_VALUE + " is ahead of the name server's revision 1");
        assertRefused(watch(WatchRequest.newBuilder().setPrefix("p".repeat(1025)).build()), Status.Code.INVALID_ARGUMENT,
                "a watch prefix must be at most 1024 characters, not 1025");
    }

    private static void assertRefused(WatchClient watch, Status.Code code, String message) {
        Status ended = watch.end();
        assertThat(ended.getCode()).isEqualTo(code);
        assertThat(ended.getDescription()).isEqualTo(message);
    }

    @Test
    void aPrefixWatchSeesOnlyItsNames() {
        start();
        register("shop.books");
        register("bank");
        WatchClient watch = watch(WatchRequest.newBuilder().setPrefix("shop.").build());
        assertThat(events(watch.until(Kind.CURRENT))).extracting(WatchEvent::getName).containsExactly("shop.books");
        register("bank.vault");
        register("shop.food");
        WatchResponse changes = watch.next();
        assertThat(changes.getEventsList()).extracting(WatchEvent::getName).containsExactly("shop.food");
        assertThat(changes.getRevision()).as("the revision counts every change, seen or not").isEqualTo(ns.registry().changes().revision());
    }

    @Test
    void leasesThatRunOutAreReportedAsSuch() {
        start();
        names.register(RegisterRequest.newBuilder().setName("leased").setUri("PYRO:l@h:1").setLeaseSeconds(5).build());
        WatchClient watch = watch(0, "");
        List<WatchEvent> snapshot = events(watch.until(Kind.CURRENT));
        assertThat(snapshot.get(1).getRegistration().getLeaseRemainingSeconds()).isEqualTo(5.0);
        clock.advance(Duration.ofSeconds(6));
        WatchEvent expired = watch.next().getEvents(0); // the once-a-second sweep removes it
        assertThat(expired.getType()).isEqualTo(WatchEvent.Type.REMOVED);
        assertThat(expired.getName()).isEqualTo("leased");
        assertThat(expired.getCause()).isEqualTo(WatchEvent.Cause.LEASE_EXPIRED);
    }

    @Test
    void changesByAnotherWriterOfASharedStoreAreReported() {
        SharedBackend backend = new SharedBackend();
        start(options -> options.store(backend.view()));
        try (NameServerDaemon other = NameServerDaemon.builder().config(PyroConfig.defaults()).host("127.0.0.1").port(0)
                .store(backend.view()).start()) {
            WatchClient watch = watch(WatchRequest.newBuilder().setPrefix("shared.").build());
            watch.until(Kind.CURRENT);
            other.registry().register("shared.thing", "PYRO:t@h:1", false, List.of("from:other"), null);
            other.registry().remove("shared.thing");
            List<WatchEvent> changes = new ArrayList<>();
            while (changes.size() < 2) {
                changes.addAll(watch.next().getEventsList());
            }
            assertThat(changes).extracting(WatchEvent::getType, WatchEvent::getName, WatchEvent::getCause).containsExactly(
                    tuple(WatchEvent.Type.PUT, "shared.thing", WatchEvent.Cause.EXTERNAL),
                    tuple(WatchEvent.Type.REMOVED, "shared.thing", WatchEvent.Cause.EXTERNAL));
            assertThat(changes.get(0).getRegistration().getMetadataList()).containsExactly("from:other");
        }
    }

    /** Registrations of about 33 KB each, so that a few of them fill gRPC's flow-control window. */
    private void registerBig(String prefix, int count) {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < NameRegistry.MAX_TAGS; i++) {
            tags.add(i + "-" + "t".repeat(NameRegistry.MAX_TAG_LENGTH - 3));
        }
        for (int i = 0; i < count; i++) {
            names.register(RegisterRequest.newBuilder().setName(prefix + i).setUri("PYRO:big@h:1").addAllMetadata(tags).build());
        }
    }

    @Test
    void aWatcherThatStopsReadingIsResnapshottedNotBufferedFor() {
        start(options -> options.changeLogCapacity(10));
        WatchClient slow = watch(0, "");
        slow.until(Kind.CURRENT);
        // it stops reading; meanwhile far more changes than the log holds, and than gRPC's window takes
        registerBig("big.", 200);
        List<WatchResponse> read = slow.until(Kind.RESET);
        assertThat(events(read).size()).as("what was sent before it fell behind: the server stopped at the window")
                .isLessThan(200);
        List<WatchResponse> snapshot = slow.until(Kind.CURRENT);
        assertThat(events(snapshot)).hasSize(201);
        assertThat(snapshot).allSatisfy(message -> assertThat(message.getSerializedSize()).isLessThan(300 * 1024));
    }

    @Test
    void aWatcherThatNeverCatchesUpIsEnded() {
        start(options -> options.changeLogCapacity(10));
        WatchClient slow = watch(0, "");
        slow.until(Kind.CURRENT);
        registerBig("big.", 200);
        for (int reset = 1; reset <= Watcher.MAX_RESETS_IN_A_ROW; reset++) {
            slow.until(Kind.RESET);
            // it stops reading again in the middle of the snapshot, and falls behind once more
            registerBig("more" + reset + ".", 20);
        }
        Status ended = slow.end();
        assertThat(ended.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(ended.getDescription()).isEqualTo(
                "this watch fell behind the name server's change log 3 times in a row: it reads too slowly to keep up");
        assertThat(names.lookup(LookupRequest.newBuilder().setName("big.0").build()).getName()).as("the server is fine").isEqualTo("big.0");
    }

    @Test
    void watchesBeyondTheLimitAreRefusedAndEndedOnesMakeRoom() {
        start(options -> options.maxWatches(2));
        WatchClient one = watch(0, "");
        one.next();
        watch(0, "").next();
        Status third = watch(0, "").end();
        assertThat(third.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(third.getDescription()).isEqualTo("too many watches open (at most 2)");
        one.close();
        // the cancellation reaches the server asynchronously: a new watch is accepted once it has
        WatchResponse accepted = null;
        for (int attempt = 0; accepted == null && attempt < 1000; attempt++) {
            WatchClient retry = watch(0, "");
            try {
                accepted = retry.next();
            } catch (AssertionError refused) {
                retry.close();
            }
        }
        assertThat(accepted.getKind()).isEqualTo(Kind.RESET);
    }

    @Test
    void shuttingDownEndsWatchesWithUnavailable() {
        start();
        WatchClient watch = watch(0, "");
        watch.until(Kind.CURRENT);
        ns.close();
        Status ended = watch.end();
        assertThat(ended.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(ended.getDescription()).isEqualTo("the name server is shutting down");
    }

    @Test
    void bytesThatAreNoRequestAreInvalidArgumentAndHarmless() {
        start();
        MethodDescriptor<byte[], byte[]> raw = NameServerGrpc.getWatchMethod().toBuilder(RawBytes.INSTANCE, RawBytes.INSTANCE).build();
        for (byte[] garbage : List.of(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, new byte[] {0x08, (byte) 0x80},
                new byte[] {0x12, 0x05, 'a'})) {
            io.grpc.StatusRuntimeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                    io.grpc.StatusRuntimeException.class,
                    () -> ClientCalls.blockingServerStreamingCall(channel, raw, CallOptions.DEFAULT, garbage).next());
            assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(refused.getStatus().getDescription()).startsWith("malformed request: ");
        }
        assertThat(watch(0, "").next().getKind()).as("still serving").isEqualTo(Kind.RESET);
    }

    /** Messages as the bytes they are, to send what no client library would. */
    private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
        INSTANCE;

        @Override
        public java.io.InputStream stream(byte[] value) {
            return new java.io.ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(java.io.InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void aRefusalCarriesThePyroError() {
        start();
        io.grpc.StatusRuntimeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.grpc.StatusRuntimeException.class,
                () -> NameServerGrpc.newBlockingStub(channel).watch(WatchRequest.newBuilder().setSinceRevision(-5).build()).next());
        assertThat(refused.getTrailers().get(GrpcErrors.ERROR_DETAIL).getType()).isEqualTo("NamingError");
    }
}
