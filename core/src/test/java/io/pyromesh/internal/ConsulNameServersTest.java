package io.pyromesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.stub.StreamObserver;
import io.pyromesh.config.ConfigException;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.proto.v1.NameServerGrpc;
import io.pyromesh.proto.v1.PingRequest;
import io.pyromesh.proto.v1.PingResponse;
import io.pyromesh.server.Daemon;
import io.pyromesh.testing.DevConsul;
import io.pyromesh.uri.PyroURI;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** locateNS() through a real Consul agent, where name servers register as the service pyromesh-ns. */
class ConsulNameServersTest {
    @RegisterExtension
    static final DevConsul consul = new DevConsul();
    private Daemon registered;
    private Daemon configured;

    /** Stands in for a name server: locateNS only needs its NameServer service to answer Ping. */
    static final class Pingable extends NameServerGrpc.NameServerImplBase {
        @Override
        public void ping(PingRequest request, StreamObserver<PingResponse> out) {
            out.onNext(PingResponse.getDefaultInstance());
            out.onCompleted();
        }
    }

    @BeforeEach
    void startNameServers() {
        registered = Daemon.builder().host("127.0.0.1").service(new Pingable()).build();
        configured = Daemon.builder().host("127.0.0.1").service(new Pingable()).build();
    }

    @AfterEach
    void stopNameServers() throws Exception {
        registered.shutdown();
        configured.shutdown();
        put("/v1/agent/service/deregister/ns-passing", "");
        put("/v1/agent/service/deregister/ns-critical", "");
    }

    @Test
    void withConsulAddrLocateNsFindsAPassingNameServerRegisteredThere() throws Exception {
        register("ns-passing", registered.uriFor(PyroURI.NAMESERVER_NAME), "passing");

        assertThat(NameServerLocator.locate(null, 0, PyroConfig.defaults().with("CONSUL_ADDR", consul.httpAddress())))
                .isEqualTo(registered.uriFor(PyroURI.NAMESERVER_NAME));
    }

    @Test
    void onlyNameServersWhoseChecksPassAreCandidates() throws Exception {
        register("ns-passing", registered.uriFor(PyroURI.NAMESERVER_NAME), "passing");
        register("ns-critical", PyroURI.direct(PyroURI.NAMESERVER_NAME, "127.0.0.1", 1), "critical");

        assertThat(ConsulNameServers.passing(consul.httpAddress())).containsExactly(registered.uriFor(PyroURI.NAMESERVER_NAME));
    }

    @Test
    void anExplicitNsHostComesBeforeConsul() throws Exception {
        register("ns-passing", registered.uriFor(PyroURI.NAMESERVER_NAME), "passing");
        PyroConfig config = PyroConfig.defaults().with("CONSUL_ADDR", consul.httpAddress())
                .withNsHost("127.0.0.1").withNsPort(configured.port());

        assertThat(NameServerLocator.locate(null, 0, config)).isEqualTo(configured.uriFor(PyroURI.NAMESERVER_NAME));
    }

    @Test
    void aConsulThatCannotBeAskedIsNamedInTheFailure() throws Exception {
        String nowhere = DevConsul.nowhere();

        assertThatThrownBy(() -> ConsulNameServers.passing(nowhere))
                .isInstanceOf(CommunicationError.class)
                .hasMessageStartingWith("cannot ask consul at " + nowhere + " for name servers");
    }

    @Test
    void consulAddrMustBeAnHttpAddress() {
        assertThatThrownBy(() -> PyroConfig.defaults().with("CONSUL_ADDR", "localhost:8500"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CONSUL_ADDR").hasMessageContaining("is not http://HOST:PORT");
    }

    private static void register(String id, PyroURI uri, String status) throws Exception {
        put("/v1/agent/service/register", "{\"ID\": \"" + id + "\", \"Name\": \"" + ConsulNameServers.SERVICE + "\", "
                + "\"Address\": \"" + uri.host() + "\", \"Port\": " + uri.port() + ", "
                + "\"Meta\": {\"" + ConsulNameServers.URI_META + "\": \"" + uri + "\"}, "
                + "\"Check\": {\"TTL\": \"60s\", \"Status\": \"" + status + "\"}}");
    }

    private static void put(String path, String body) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(consul.httpAddress() + path))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isIn(200, 404);
    }
}
