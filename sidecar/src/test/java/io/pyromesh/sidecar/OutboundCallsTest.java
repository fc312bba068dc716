package io.pyromesh.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.pyromesh.internal.GrpcErrors;
import io.pyromesh.proto.v1.InvokeRequest;
import io.pyromesh.proto.v1.InvokeResponse;
import io.pyromesh.proto.v1.InvokerGrpc;
import io.pyromesh.proto.v1.Value;
import io.pyromesh.server.Daemon;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A local app's outbound calls: any URI sent to its sidecar's local listener is routed, by the mesh's
 * Router, to wherever it leads (here, an app attached to a second sidecar); the sidecar's operations
 * (health, metrics) seen from outside.
 */
@Timeout(60)
class OutboundCallsTest {
    private final TestMesh mesh = TestMesh.start();
    private Sidecar second;
    private Daemon appA;
    private Daemon appB;
    private Daemon appC;
    private ManagedChannel local;

    @BeforeEach
    void twoSidecarsWithApps() throws Exception {
        second = TestMesh.sidecarFor(mesh.ns).start();
        appA = attach(mesh.sidecar, "shop.a", new Shop("a"), "example.shop.a");
        appB = attach(second, "shop.b", new Shop("b"), "example.shop.b");
        appC = attach(second, "shop.c", new Shop("c"), "example.shop.c");
        local = NettyChannelBuilder.forTarget(mesh.sidecar.localAddress()).usePlaintext().build();
    }

    private Daemon attach(Sidecar sidecar, String id, Shop shop, String name) {
        Daemon app = Daemon.builder().config(TestMesh.CONFIG).sidecar(sidecar.localAddress()).build();
        app.register(shop, id);
        app.sidecar().orElseThrow().publish(name, id, Set.of("role:shop"));
        assertThat(app.sidecar().orElseThrow().awaitAttached(Duration.ofSeconds(10))).isTrue();
        return app;
    }

    @AfterEach
    void stop() {
        local.shutdownNow();
        for (Daemon app : List.of(appA, appB, appC)) {
            app.shutdown();
        }
        second.close();
        mesh.close();
    }

    private InvokeResponse echo(String uri, String message) {
        return InvokerGrpc.newBlockingStub(local).withDeadlineAfter(10, TimeUnit.SECONDS)
                .invoke(InvokeRequest.newBuilder().setObject(uri).setMethod("echo").addArgs(Value.newBuilder().setStrValue(message)).build());
    }

    /** Retries while the sidecar's cache catches up with the name server's registrations. */
    private InvokeResponse echoOnceKnown(String uri, String message) {
        InvokeResponse[] answer = new InvokeResponse[1];
        Poll.until(Duration.ofSeconds(10), "the sidecar routes " + uri, () -> {
            try {
                answer[0] = echo(uri, message);
                return true;
            } catch (StatusRuntimeException notYet) {
                return false;
            }
        });
        return answer[0];
    }

    @Test
    void theLocalListenerIsOnLoopbackOnly() {
        assertThat(mesh.sidecar.localAddress()).startsWith("127.0.0.1:");
    }

    @Test
    void theLocalListenerListsItsServicesByReflectionAsGrpcurlAsks() throws Exception {
        CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> ask = ServerReflectionGrpc.newStub(local).serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse response) {
                answer.complete(response);
            }

            @Override
            public void onError(Throwable failure) {
                answer.completeExceptionally(failure);
            }

            @Override
            public void onCompleted() {
                // one answer is all we asked for
            }
        });
        ask.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        List<String> services = answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList();
        ask.onCompleted();
        assertThat(services).contains("pyromesh.v1.Sidecar", "pyromesh.v1.Invoker", "grpc.health.v1.Health");
    }

    @Test
    void aPyronameUriGoesToTheAppOnTheOtherSidecar() {
        assertThat(echoOnceKnown("PYRONAME:example.shop.b", "outbound").getResult().getStrValue()).isEqualTo("b: outbound");
        assertThat(echo("PYRONAME:example.shop.a", "to myself").getResult().getStrValue()).isEqualTo("a: to myself");
    }

    @Test
    void aPyroUriGoesWhereItSays() {
        String uri = "PYRO:shop.c@" + second.publicLocation();
        assertThat(echo(uri, "direct").getResult().getStrValue()).isEqualTo("c: direct");
    }

    @Test
    void aPyrometaUriIsBalancedOverTheReplicas() {
        echoOnceKnown("PYRONAME:example.shop.c", "warm up");
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            answered.add(echo("PYROMETA:role:shop", "who").getResult().getStrValue());
        }
        assertThat(answered).containsExactlyInAnyOrder("a: who", "b: who", "c: who");
    }

    @Test
    void badUrisAndUnknownNamesAreRefusedNamingTheProblem() {
        echoOnceKnown("PYRONAME:example.shop.b", "warm up");
        Map<String, Status.Code> bad = Map.of(
                "", Status.Code.INVALID_ARGUMENT,
                "shop.b", Status.Code.INVALID_ARGUMENT,
                "PYRO:x@host:12x", Status.Code.INVALID_ARGUMENT,
                "PYRONAME:" + "n".repeat(3000), Status.Code.INVALID_ARGUMENT,
                "PYRONAME:no.such.name", Status.Code.NOT_FOUND,
                "PYROMETA:no.such.tag", Status.Code.NOT_FOUND);
        bad.forEach((uri, code) -> {
            StatusRuntimeException failure = assertThrows(StatusRuntimeException.class, () -> echo(uri, "x"), uri);
            assertThat(failure.getStatus().getCode()).as(uri).isEqualTo(code);
            assertThat(failure.getTrailers().get(GrpcErrors.ERROR_DETAIL).getHop()).as(uri).startsWith("sidecar 127.0.0.1:");
        });
        StatusRuntimeException none = assertThrows(StatusRuntimeException.class, () -> echo("", "x"));
        assertThat(none.getStatus().getDescription()).startsWith(
                "a sidecar's local listener calls objects by URI (PYRONAME:name, PYROMETA:tag,..., PYRO:id@host:port), and got none");
    }

    @Test
    void healthIsServingAndTheMetricsCountAppsObjectsNamesAndCalls() throws Exception {
        echoOnceKnown("PYRONAME:example.shop.b", "counted");
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(local);
        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(second.adminUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("pyromesh_sidecar_apps{hop=\"sidecar\"} 2.0",
                "pyromesh_sidecar_objects{hop=\"sidecar\"} 2.0", "pyromesh_sidecar_names{hop=\"sidecar\"} 2.0",
                "pyromesh_streams_open{hop=\"sidecar\"} 0.0");
        Iterator<String> lines = metrics.body().lines().iterator();
        boolean counted = false;
        while (lines.hasNext()) {
            String line = lines.next();
            counted |= line.startsWith("pyromesh_calls_seconds_count{") && line.contains("object=\"shop.b\"") && line.contains("status=\"OK\"");
        }
        assertThat(counted).as("the call forwarded to shop.b is counted").isTrue();
    }
}
