package io.pyromesh.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.context.CallContext;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.internal.Headers;
import io.pyromesh.proto.v1.Annotations;
import io.pyromesh.proto.v1.BatchRequest;
import io.pyromesh.proto.v1.ClassDict;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.NullValue;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.proto.v1.Values;
import io.pyromesh.utils.EchoServer;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Invoker service as a client in any language sees it: raw gRPC, including malformed requests. */
class InvokerContractTest {
    @Expose
    public static class Calculator {
        final AtomicReference<Map<String, byte[]>> seenAnnotations = new AtomicReference<>();
        final AtomicReference<String> seenCall = new AtomicReference<>();
        final CountDownLatch release = new CountDownLatch(1);

        public long add(long a, long b) {
            return a + b;
        }

        public String describe(int number) {
            return "int " + number;
        }

        public String describe(String text) {
            return "string " + text;
        }

        public String describe(double number) {
            return "double " + number;
        }

        public String greet(String name, String greeting) {
            return greeting + ", " + name;
        }

        public String annotated() {
            CallContext context = CallContext.current();
            seenAnnotations.set(context.annotations());
            seenCall.set(context.objectId() + "." + context.method() + " from " + context.clientAddress() + " in " + context.sessionId());
            context.responseAnnotations().put("RESP", "pong".getBytes());
            return context.correlationId().toString();
        }

        public String block() throws InterruptedException {
            release.await(10, TimeUnit.SECONDS);
            return "released";
        }

        public Object echo(Object anything) {
            return anything;
        }
    }

    private Daemon daemon;
    private Calculator calculator;
    private ManagedChannel channel;
    private InvokerGrpc.InvokerBlockingStub invoker;

    @BeforeEach
    void start() {
        daemon = Daemon.builder().host("127.0.0.1").config(PyroConfig.defaults().with("THREADPOOL_SIZE_MIN", 1).with("THREADPOOL_SIZE", 2)).build();
        calculator = new Calculator();
        daemon.register(calculator, "calc");
        daemon.register(new EchoServer(), "echo");
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", daemon.port()).usePlaintext().build();
        invoker = InvokerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        calculator.release.countDown();
        channel.shutdownNow();
        daemon.shutdown();
    }

    private static Value integer(long n) {
        return Value.newBuilder().setIntValue(n).build();
    }

    private static Value text(String s) {
        return Value.newBuilder().setStrValue(s).build();
    }

    private static InvokeRequest call(String object, String method, Value... args) {
        return InvokeRequest.newBuilder().setObject(object).setMethod(method).addAllArgs(List.of(args)).build();
    }

    private void assertFails(InvokeRequest request, Status.Code code, String pyroError, String message) {
        assertFails(() -> invoker.invoke(request), code, pyroError, message);
    }

    private static void assertFails(Runnable call, Status.Code code, String pyroError, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).isEqualTo(message);
            assertThat(e.getTrailers().get(GrpcErrors.ERROR_DETAIL).getType()).isEqualTo(pyroError);
        });
    }

    @Test
    void aPlainCall() {
        InvokeResponse response = invoker.invoke(call("calc", "add", integer(2), integer(40)));
        assertThat(response.getResult().getIntValue()).isEqualTo(42);
    }

    @Test
    void keywordArgumentsMatchParameterNames() {
        InvokeRequest request = call("calc", "greet").toBuilder()
                .putKwargs("greeting", text("Hello")).putKwargs("name", text("Ada")).build();
        assertThat(invoker.invoke(request).getResult().getStrValue()).isEqualTo("Hello, Ada");
        assertFails(call("calc", "greet", text("Ada")).toBuilder().putKwargs("salutation", text("Hi")).build(),
                Status.Code.INVALID_ARGUMENT, "TypeError", "greet() got an unexpected keyword argument 'salutation'");
        assertFails(call("calc", "greet", text("Ada")).toBuilder().putKwargs("name", text("Bob")).build(),
                Status.Code.INVALID_ARGUMENT, "TypeError", "greet() got multiple values for argument 'name'");
    }

    @Test
    void overloadsAreChosenByTheArgumentValues() {
        assertThat(invoker.invoke(call("calc", "describe", integer(7))).getResult().getStrValue()).isEqualTo("int 7");
        assertThat(invoker.invoke(call("calc", "describe", text("seven"))).getResult().getStrValue()).isEqualTo("string seven");
        assertThat(invoker.invoke(call("calc", "describe", Value.newBuilder().setFloatValue(7.5).build()))
                .getResult().getStrValue()).isEqualTo("double 7.5");
        assertFails(call("calc", "describe", Value.newBuilder().setBoolValue(true).build()), Status.Code.INVALID_ARGUMENT, "TypeError",
                "no overload of describe accepts (bool); overloads: describe(String), describe(double), describe(int)");
    }

    @Test
    void wrongArgumentCountsAndTypesAreTypeErrors() {
        assertFails(call("calc", "add", integer(1)), Status.Code.INVALID_ARGUMENT, "TypeError",
                "add() takes 2 arguments but 1 were given");
        assertFails(call("calc", "add", integer(1), text("two")), Status.Code.INVALID_ARGUMENT, "TypeError",
                "argument 2 of add(): expected long, got str");
    }

    @Test
    void unknownObjectsAreNotFound() {
        assertFails(call("nope", "add"), Status.Code.NOT_FOUND, "DaemonError", "unknown object: nope");
    }

    @Test
    void unknownUnexposedAndPrivateMembersAreDenied() {
        assertFails(call("calc", "subtract"), Status.Code.PERMISSION_DENIED, "SecurityError",
                "remote object 'calc' has no exposed attribute or method 'subtract'");
        assertFails(call("calc", "_private"), Status.Code.PERMISSION_DENIED, "SecurityError",
                "attempt to access private member '_private' of remote object 'calc': names starting with _ are never reachable remotely");
        assertFails(call("calc", "getClass"), Status.Code.PERMISSION_DENIED, "SecurityError",
                "remote object 'calc' has no exposed attribute or method 'getClass'");
        assertFails(call("echo", "__getattr__", text("nonexistent")), Status.Code.PERMISSION_DENIED, "SecurityError",
                "remote object 'echo' has no exposed attribute or method 'nonexistent'");
        assertFails(call("echo", "__getattr__"), Status.Code.INVALID_ARGUMENT, "TypeError",
                "__getattr__ takes the property name as positional arguments");
    }

    @Test
    void propertiesAreReadAndWrittenWithGetattrAndSetattr() {
        invoker.invoke(call("echo", "__setattr__", text("verbose"), Value.newBuilder().setBoolValue(true).build()));
        assertThat(invoker.invoke(call("echo", "__getattr__", text("verbose"))).getResult().getBoolValue()).isTrue();
    }

    @Test
    void malformedValuesAreSerializeErrors() {
        assertFails(call("calc", "echo", Value.getDefaultInstance()), Status.Code.INVALID_ARGUMENT, "SerializeError",
                "malformed value: no kind set");
        Value unregistered = Value.newBuilder().setObjectValue(ClassDict.newBuilder().setClassName("com.example.Unknown")).build();
        assertFails(call("calc", "echo", unregistered), Status.Code.INVALID_ARGUMENT, "SerializeError",
                "unsupported serialized class: com.example.Unknown");
        Value sneaky = Value.newBuilder().setObjectValue(ClassDict.newBuilder().setClassName("__main__.Evil")).build();
        assertFails(call("calc", "echo", sneaky), Status.Code.PERMISSION_DENIED, "SecurityError",
                "refused to deserialize types with double underscores in their name: __main__.Evil");
    }

    @Test
    void valuesNestedTooDeeplyAreRefused() {
        assertFails(call("calc", "echo", nested(40)), Status.Code.INVALID_ARGUMENT, "SerializeError",
                "value nests deeper than 30 levels");
        assertThatThrownBy(() -> invoker.invoke(call("calc", "echo", nested(500))))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(e.getStatus().getDescription()).startsWith("malformed request: Protocol message had too many levels of nesting");
                        });
    }

    private static Value nested(int depth) {
        Value value = Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        for (int i = 0; i < depth; i++) {
            value = Value.newBuilder().setListValue(Values.newBuilder().addItems(value)).build();
        }
        return value;
    }

    @Test
    void oversizeMessagesAreResourceExhausted() {
        Value big = Value.newBuilder().setBytesValue(ByteString.copyFrom(new byte[PyroConfig.defaults().maxMessageSize() + 1])).build();
        assertThatThrownBy(() -> invoker.invoke(call("calc", "echo", big)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }

    @Test
    void streamsAndPlainCallsNeedTheirOwnRpc() {
        assertFails(call("echo", "generator"), Status.Code.FAILED_PRECONDITION, "ProtocolError",
                "method 'generator' returns a stream: call it with InvokeStream");
        assertFails(() -> invoker.invokeStream(call("echo", "echo", text("x"))).hasNext(), Status.Code.FAILED_PRECONDITION,
                "ProtocolError", "method 'echo' does not return a stream: call it with Invoke");
        Iterator<InvokeResponse> items = invoker.invokeStream(call("echo", "generator"));
        assertThat(items.next().getResult().getStrValue()).isEqualTo("one");
    }

    @Test
    void aMalformedBatchRunsNothing() {
        BatchRequest batch = BatchRequest.newBuilder().setObject("calc")
                .addCalls(call("", "add", integer(1), integer(1)))
                .addCalls(call("", "nonexistent"))
                .build();
        assertFails(() -> invoker.invokeBatch(batch), Status.Code.PERMISSION_DENIED, "SecurityError",
                "remote object 'calc' has no exposed attribute or method 'nonexistent'");
    }

    @Test
    void correlationIdsAndAnnotationsTravelBothWays() {
        Metadata headers = new Metadata();
        headers.put(Headers.CORRELATION_ID, "2f6a4b43-4d9b-4f6e-9c39-d7d1c3a1b2c3");
        headers.put(Headers.ANNOTATIONS, Annotations.newBuilder().putEntries("XYZZ", ByteString.copyFromUtf8("ping")).build());
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        InvokeResponse response = invoker
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers),
                        MetadataUtils.newCaptureMetadataInterceptor(new AtomicReference<>(), trailers))
                .invoke(call("calc", "annotated"));
        assertThat(response.getResult().getStrValue()).isEqualTo("2f6a4b43-4d9b-4f6e-9c39-d7d1c3a1b2c3");
        assertThat(calculator.seenAnnotations.get()).containsOnlyKeys("XYZZ");
        assertThat(calculator.seenCall.get()).matches("calc\\.annotated from /127\\.0\\.0\\.1:\\d+ in connection:/127\\.0\\.0\\.1:\\d+");
        assertThat(trailers.get().get(Headers.CORRELATION_ID)).isEqualTo("2f6a4b43-4d9b-4f6e-9c39-d7d1c3a1b2c3");
        assertThat(trailers.get().get(Headers.ANNOTATIONS).getEntriesMap().get("RESP").toStringUtf8()).isEqualTo("pong");
    }

    @Test
    void theDaemonMakesACorrelationIdWhenTheCallerSentNone() {
        String made = invoker.invoke(call("calc", "annotated")).getResult().getStrValue();
        assertThat(made).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

    @Test
    void malformedHeadersAreRefused() {
        Metadata headers = new Metadata();
        headers.put(Headers.CORRELATION_ID, "not-a-uuid");
        assertThatThrownBy(() -> invoker.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .invoke(call("calc", "add", integer(1), integer(2))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("malformed pyro-correlation-id header (not a UUID): not-a-uuid");
                });
    }

    @Test
    void callsBeyondTheWorkerPoolAreRefusedAtOnce() throws InterruptedException {
        InvokerGrpc.InvokerFutureStub async = InvokerGrpc.newFutureStub(channel);
        async.invoke(call("calc", "block"));
        async.invoke(call("calc", "block"));
        Thread.sleep(300); // both workers now wait in block()
        assertFails(call("calc", "add", integer(1), integer(1)), Status.Code.RESOURCE_EXHAUSTED, "CommunicationError",
                "no free workers, increase server threadpool size (THREADPOOL_SIZE=2)");
        calculator.release.countDown();
    }

}
