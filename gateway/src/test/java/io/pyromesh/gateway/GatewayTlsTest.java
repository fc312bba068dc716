package io.pyromesh.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.nameserver.NameServerDaemon;
import io.pyromesh.server.Daemon;
import io.pyromesh.testing.TestCertificates;
import io.pyromesh.uri.PyroURI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS on every leg of the gateway: caller to gateway, gateway to daemon, gateway's watch of the name server. */
class GatewayTlsTest {
    @TempDir
    Path directory;

    @Test
    void everyLegRequiresAndPresentsClientCertificates() throws Exception {
        TestCertificates certificates = TestCertificates.create(directory, "pyromesh gateway test ca");
        PyroConfig config = PyroConfig.defaults().with("HOST", "localhost")
                .with("SSL", true)
                .with("SSL_SERVERCERT", certificates.serverCert.toString())
                .with("SSL_SERVERKEY", certificates.serverKey.toString())
                .with("SSL_REQUIRECLIENTCERT", true)
                .with("SSL_CACERTS", certificates.caCert.toString())
                .with("SSL_CLIENTCERT", certificates.clientCert.toString())
                .with("SSL_CLIENTKEY", certificates.clientKey.toString());
        try (NameServerDaemon ns = NameServerDaemon.builder().config(config).host("localhost").port(0).broadcast(false).start();
                Daemon daemon = Daemon.builder().config(config).build()) {
            PyroURI uri = daemon.register(new GatewayTest.Shop("secure"), "shop.secure");
            ns.registry().register("shop.secure", uri, false, List.of(), null);
            try (Gateway gateway = Gateway.builder(config).port(0).adminPort(-1).nameServer("localhost", ns.uri().port())
                    .expose("shop\\.").start()) {
                assertThat(gateway.awaitCurrent(Duration.ofSeconds(10))).as("the watch works over mutual TLS").isTrue();
                try (Proxy proxy = new Proxy(PyroURI.direct("PYRONAME:shop.secure", "localhost", gateway.port()), config)) {
                    assertThat(proxy.call("whoami")).isEqualTo("secure");
                }
                PyroConfig stranger = config.with("SSL_CLIENTCERT", "").with("SSL_CLIENTKEY", "");
                try (Proxy proxy = new Proxy(PyroURI.direct("PYRONAME:shop.secure", "localhost", gateway.port()), stranger)) {
                    assertThatThrownBy(() -> proxy.call("whoami")).isInstanceOf(CommunicationError.class);
                }
            }
        }
    }
}
