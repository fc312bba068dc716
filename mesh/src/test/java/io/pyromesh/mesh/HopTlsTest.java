package io.pyromesh.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.mesh.routing.ChannelPool;
import io.pyromesh.server.Daemon;
import io.pyromesh.testing.TestCertificates;
import io.pyromesh.uri.PyroURI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS from PYRO_SSL_* on both legs of a hop: caller to hop, hop to daemon. */
class HopTlsTest {
    @TempDir
    Path directory;

    private PyroConfig mutualTls(TestCertificates certificates) {
        return PyroConfig.defaults().with("HOST", "localhost")
                .with("SSL", true)
                .with("SSL_SERVERCERT", certificates.serverCert.toString())
                .with("SSL_SERVERKEY", certificates.serverKey.toString())
                .with("SSL_REQUIRECLIENTCERT", true)
                .with("SSL_CACERTS", certificates.caCert.toString())
                .with("SSL_CLIENTCERT", certificates.clientCert.toString())
                .with("SSL_CLIENTKEY", certificates.clientKey.toString());
    }

    @Test
    void callsCrossAHopWhoseLegsBothRequireClientCertificates() throws Exception {
        TestCertificates certificates = TestCertificates.create(directory, "pyromesh test ca");
        PyroConfig config = mutualTls(certificates);
        try (Daemon daemon = Daemon.builder().config(config).build(); ChannelPool channels = new ChannelPool(config)) {
            daemon.register(new ForwarderTest.Shop(), "shop");
            try (HopServer hop = HopServer.builder("test-hop").config(config)
                    .route(call -> Target.of(channels.channel(daemon.location()), call.object(), "daemon")).start()) {
                try (Proxy proxy = new Proxy(PyroURI.direct("shop", "localhost", hop.port()), config)) {
                    assertThat(proxy.call("echo", "secret")).isEqualTo("secret");
                }
                PyroConfig withoutClientCertificate = config.with("SSL_CLIENTCERT", "").with("SSL_CLIENTKEY", "");
                try (Proxy stranger = new Proxy(PyroURI.direct("shop", "localhost", hop.port()), withoutClientCertificate)) {
                    assertThatThrownBy(() -> stranger.call("echo", "secret")).isInstanceOf(CommunicationError.class);
                }
            }
        }
    }
}
