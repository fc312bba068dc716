package io.pyromesh.nameserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.naming.NameServer;
import io.pyromesh.internal.NameServerLocator;
import io.pyromesh.proto.v1.LookupRequest;
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.testing.DevConsul;
import io.pyromesh.testing.Eventually;
import io.pyromesh.uri.PyroURI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Name servers over one real Consul: each serves what the others registered, registers itself in Consul
 * where {@code locateNS()} finds it, and answers UNAVAILABLE naming Consul while Consul is down.
 */
class NameServersOverConsulTest {
    @RegisterExtension
    final DevConsul consul = new DevConsul();
    private NameServerDaemon first;
    private NameServerDaemon second;

    @BeforeEach
    void start() {
        first = nameServer();
        second = nameServer();
    }

    private NameServerDaemon nameServer() {
        return NameServerDaemon.builder().config(PyroConfig.defaults()).host("127.0.0.1").port(0)
                .storage("consul:" + consul.httpAddress()).start();
    }

    @AfterEach
    void stop() {
        second.close();
        first.close();
    }

    @Test
    void twoNameServersOverOneConsulSeeEachOthersRegistrations() {
        try (NameServer one = names(first); NameServer two = names(second)) {
            one.register("example.warehouse", PyroURI.parse("PYRO:obj_1@localhost:51234"));

            Eventually.within(Duration.ofSeconds(9), "the second name server has it",
                    () -> two.list("example.", null).containsKey("example.warehouse"));
            assertThat(two.lookup("example.warehouse")).isEqualTo(PyroURI.parse("PYRO:obj_1@localhost:51234"));

            two.remove("example.warehouse");
            Eventually.within(Duration.ofSeconds(9), "the first name server sees it gone",
                    () -> !one.list("example.", null).containsKey("example.warehouse"));
        }
    }

    @Test
    void eachNameServerRegistersItselfInConsulAndLocateNsFindsOneThere() throws Exception {
        String registered = consul.agent().get("/v1/health/service/pyromesh-ns?passing=true");
        assertThat(registered).contains(first.uri().toString(), second.uri().toString());

        PyroConfig clients = PyroConfig.defaults().with("CONSUL_ADDR", consul.httpAddress());
        assertThat(NameServerLocator.locate(null, 0, clients)).isIn(first.uri(), second.uri());

        first.close();
        assertThat(consul.agent().get("/v1/health/service/pyromesh-ns")).as("a closed name server withdraws")
                .doesNotContain(first.uri().toString()).contains(second.uri().toString());
    }

    @Test
    void whileConsulIsDownCallsAreUnavailableNamingItAndTheNameServerRecovers() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", second.uri().port()).usePlaintext().build();
        try {
            NameServerGrpc.NameServerBlockingStub names = NameServerGrpc.newBlockingStub(channel);
            consul.agent().stop();

            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Eventually.within(Duration.ofSeconds(15),
                    "lookups fail with UNAVAILABLE", () -> unavailable(names)));
            assertThatThrownBy(() -> names.withDeadlineAfter(10, TimeUnit.SECONDS)
                    .lookup(LookupRequest.newBuilder().setName("Pyro.NameServer").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, failed -> {
                        assertThat(failed.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(failed.getStatus().getDescription()).contains("consul at " + consul.httpAddress());
                    });
            try (NameServer pyroFace = names(second)) {
                assertThatThrownBy(() -> pyroFace.lookup("anything")).isInstanceOf(CommunicationError.class)
                        .hasMessageContaining("consul at " + consul.httpAddress());
            }

            consul.agent().start();

            Eventually.within(Duration.ofSeconds(15), "the name server answers again", () -> !unavailable(names));
        } finally {
            channel.shutdownNow();
        }
    }

    /** Whether a lookup of a name that is not there fails UNAVAILABLE (rather than NOT_FOUND). */
    private static boolean unavailable(NameServerGrpc.NameServerBlockingStub names) {
        try {
            names.withDeadlineAfter(10, TimeUnit.SECONDS).lookup(LookupRequest.newBuilder().setName("nothing").build());
            return false;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() == Status.Code.UNAVAILABLE;
        }
    }

    private static NameServer names(NameServerDaemon ns) {
        return new Proxy(ns.uri(), PyroConfig.defaults()).as(NameServer.class);
    }
}
