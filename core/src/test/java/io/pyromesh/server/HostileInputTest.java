package io.pyromesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.proto.v1.BatchRequest;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.MapEntry;
import io.pyromesh.proto.v1.MapValue;
import io.pyromesh.proto.v1.ProxyRef;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.proto.v1.Values;
import io.pyromesh.testing.LogCapture;
import java.util.List;
import java.util.logging.LogRecord;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an attacker tried against a running daemon, each a regression test (issue 6, point 8). */
class HostileInputTest {
    private static final int MAX_MESSAGE_SIZE = 64 * 1024;
    private static final int MAX_VALUES = 1000;

    @Expose
    public static class Target {
        final AtomicInteger slowCalls = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);

        public Object echo(Object anything) {
            return anything;
        }

        public String slow() throws InterruptedException {
            slowCalls.incrementAndGet();
            release.await(300, TimeUnit.MILLISECONDS);
            return "done";
        }
    }

    private Daemon daemon;
    private Target target;
    private ManagedChannel channel;
    private InvokerGrpc.InvokerBlockingStub invoker;

    @BeforeEach
    void start() {
        PyroConfig config = PyroConfig.defaults().with("MAX_MESSAGE_SIZE", MAX_MESSAGE_SIZE).with("MAX_VALUES", MAX_VALUES);
        daemon = Daemon.builder().host("127.0.0.1").config(config).build();
        target = new Target();
        daemon.register(target, "target");
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", daemon.port()).usePlaintext().build();
        invoker = InvokerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        target.release.countDown();
        channel.shutdownNow();
        daemon.shutdown();
    }

    private static InvokeRequest call(String object, String method, Value... args) {
        return InvokeRequest.newBuilder().setObject(object).setMethod(method).addAllArgs(List.of(args)).build();
    }

    private static StatusRuntimeException failure(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException failed) {
            return failed;
        }
        throw new AssertionError("the call succeeded");
    }

    private static String pyroError(StatusRuntimeException failed) {
        return failed.getTrailers().get(GrpcErrors.ERROR_DETAIL).getType();
    }

    @Test
    void aProxyReferenceWithAMalformedUriIsASerializeError() {
        Value badRef = Value.newBuilder().setProxyValue(ProxyRef.newBuilder().setUri("PYRO:no-location")).build();
        StatusRuntimeException failed = failure(() -> invoker.invoke(call("target", "echo", badRef)));
        assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(pyroError(failed)).isEqualTo("SerializeError");
        assertThat(failed.getStatus().getDescription()).contains("invalid uri");
    }

    @Test
    void hugeNamesAreCutInErrorMessagesSoTheStatusStillFits() {
        String longName = "x".repeat(8000);
        StatusRuntimeException unknownObject = failure(() -> invoker.invoke(call(longName, "echo")));
        assertThat(unknownObject.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(pyroError(unknownObject)).isEqualTo("DaemonError");
        assertThat(unknownObject.getStatus().getDescription()).startsWith("unknown object: xxx").hasSizeLessThan(200);

        StatusRuntimeException unknownMethod = failure(() -> invoker.invoke(call("target", longName)));
        assertThat(unknownMethod.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(pyroError(unknownMethod)).isEqualTo("SecurityError");
        assertThat(unknownMethod.getStatus().getDescription()).hasSizeLessThan(300);
    }

    @Test
    void anOversizeRequestIsAMessageTooLargeErrorLoggedInOneQuietLineAtMost() {
        List<LogRecord> logged;
        try (LogCapture log = LogCapture.atLeast(Level.INFO)) {
            Value big = Value.newBuilder().setBytesValue(ByteString.copyFrom(new byte[MAX_MESSAGE_SIZE + 1])).build();
            for (int i = 0; i < 5; i++) {
                StatusRuntimeException failed = failure(() -> invoker.invoke(call("target", "echo", big)));
                assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(pyroError(failed)).isEqualTo("MessageTooLargeError");
                assertThat(failed.getStatus().getDescription()).contains("message too large").contains(String.valueOf(MAX_MESSAGE_SIZE));
            }
            // far beyond the limit, gRPC refuses the message before reading it, with the same status code
            Value huge = Value.newBuilder().setBytesValue(ByteString.copyFrom(new byte[3 * MAX_MESSAGE_SIZE])).build();
            for (int i = 0; i < 5; i++) {
                assertThat(failure(() -> invoker.invoke(call("target", "echo", huge))).getStatus().getCode())
                        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            }
            // the daemon still serves
            assertThat(invoker.invoke(call("target", "echo", Value.newBuilder().setStrValue("fine").build())).getResult().getStrValue())
                    .isEqualTo("fine");
            logged = log.records();
        }
        assertThat(logged).hasSizeLessThanOrEqualTo(10).allSatisfy(record -> assertThat(record.getThrown()).isNull());
    }

    @Test
    void aBatchStopsBetweenCallsWhenItsCallerGivesUp() throws InterruptedException {
        BatchRequest.Builder batch = BatchRequest.newBuilder().setObject("target");
        for (int i = 0; i < 30; i++) {
            batch.addCalls(call("", "slow"));
        }
        StatusRuntimeException failed = failure(() -> invoker.withDeadlineAfter(1, TimeUnit.SECONDS).invokeBatch(batch.build()));
        assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        int whenGivenUp = target.slowCalls.get();
        Thread.sleep(1500);
        assertThat(target.slowCalls.get()).as("calls run after the caller gave up").isLessThanOrEqualTo(whenGivenUp + 1);
        assertThat(target.slowCalls.get()).isLessThan(30);
    }

    @Test
    void aRequestWithMoreValuesThanMaxValuesIsRefusedBeforeItIsDecoded() {
        MapValue.Builder map = MapValue.newBuilder();
        for (int i = 0; i < MAX_VALUES; i++) {
            map.addEntries(MapEntry.newBuilder().setKey(Value.newBuilder().setIntValue(i)).setValue(Value.newBuilder().setIntValue(i)));
        }
        Value tooMany = Value.newBuilder().setMapValue(map).build();
        StatusRuntimeException failed = failure(() -> invoker.invoke(call("target", "echo", tooMany)));
        assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(pyroError(failed)).isEqualTo("SerializeError");
        assertThat(failed.getStatus().getDescription()).contains("more than " + MAX_VALUES + " values").contains("MAX_VALUES");

        Values.Builder fits = Values.newBuilder();
        for (int i = 0; i < MAX_VALUES - 1; i++) {
            fits.addItems(Value.newBuilder().setIntValue(i));
        }
        Value list = Value.newBuilder().setListValue(fits).build();
        assertThat(invoker.invoke(call("target", "echo", list)).getResult().getListValue().getItemsCount()).isEqualTo(MAX_VALUES - 1);
    }
}
