package io.pyromesh.nameserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import io.pyromesh.config.PyroConfig;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What operators and tools see of a running name server: gRPC health and server reflection. */
@Timeout(60)
class NameServerOperationsTest {
    private final SharedBackend backend = new SharedBackend();
    private final NameServerDaemon ns = NameServerDaemon.builder().config(PyroConfig.defaults()).host("127.0.0.1").port(0)
            .store(backend.view()).start();
    private final ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", ns.uri().port()).usePlaintext().build();
    private final HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);

    @AfterEach
    void stop() {
        channel.shutdownNow();
        ns.close();
    }

    private ServingStatus status(String service) {
        return health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    @Test
    void itIsServingWhileItsStoreAnswers() {
        assertThat(status("")).isEqualTo(ServingStatus.SERVING);
        assertThat(status("pyromesh.v1.NameServer")).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void itIsNotServingWhileItsStoreIsUnreachable() throws InterruptedException {
        backend.reachable(false);
        awaitStatus(ServingStatus.NOT_SERVING); // checked once a second
        backend.reachable(true);
        awaitStatus(ServingStatus.SERVING);
    }

    private void awaitStatus(ServingStatus expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (status("pyromesh.v1.NameServer") != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(status("pyromesh.v1.NameServer")).isEqualTo(expected);
        assertThat(status("")).isEqualTo(expected);
    }

    @Test
    void itTurnsNotServingAsItShutsDown() throws InterruptedException {
        BlockingQueue<ServingStatus> seen = new LinkedBlockingQueue<>();
        HealthGrpc.newStub(channel).watch(HealthCheckRequest.newBuilder().setService("").build(), new StreamObserver<>() {
            @Override
            public void onNext(HealthCheckResponse response) {
                seen.add(response.getStatus());
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        });
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);
        ns.close();
        assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.NOT_SERVING);
    }

    @Test
    void reflectionListsAndDescribesItsServices() throws InterruptedException {
        List<ServerReflectionResponse> answers = reflect(
                ServerReflectionRequest.newBuilder().setListServices("").build(),
                ServerReflectionRequest.newBuilder().setFileContainingSymbol("pyromesh.v1.NameServer").build(),
                ServerReflectionRequest.newBuilder().setFileContainingSymbol("pyromesh.v1.Invoker").build());
        assertThat(answers.get(0).getListServicesResponse().getServiceList()).extracting(ServiceResponse::getName)
                .contains("pyromesh.v1.NameServer", "pyromesh.v1.Invoker", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");
        assertThat(methodsOf(answers.get(1), "NameServer")).contains("Register", "Lookup", "Watch");
        assertThat(methodsOf(answers.get(2), "Invoker")).contains("Invoke", "InvokeStream", "InvokeBatch", "GetMetadata");
    }

    private static List<String> methodsOf(ServerReflectionResponse answer, String service) {
        return answer.getFileDescriptorResponse().getFileDescriptorProtoList().stream()
                .map(bytes -> {
                    try {
                        return FileDescriptorProto.parseFrom(bytes);
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        throw new AssertionError(e);
                    }
                })
                .flatMap(file -> file.getServiceList().stream())
                .filter(described -> described.getName().equals(service))
                .flatMap(described -> described.getMethodList().stream())
                .map(MethodDescriptorProto::getName)
                .toList();
    }

    /** Asks the reflection service, as grpcurl does: one stream, an answer per question. */
    private List<ServerReflectionResponse> reflect(ServerReflectionRequest... questions) throws InterruptedException {
        BlockingQueue<ServerReflectionResponse> answers = new LinkedBlockingQueue<>();
        StreamObserver<ServerReflectionRequest> asking = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse response) {
                answers.add(response);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
        });
        List<ServerReflectionResponse> received = new java.util.ArrayList<>();
        for (ServerReflectionRequest question : questions) {
            asking.onNext(question);
            ServerReflectionResponse answer = answers.poll(10, TimeUnit.SECONDS);
            assertThat(answer).as("an answer to " + question).isNotNull();
            received.add(answer);
        }
        asking.onCompleted();
        return received;
    }
}
