package io.pyromesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.ConfigException;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.server.Daemon;
import io.pyromesh.testing.TestCertificates;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.utils.EchoServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsTest {
    @TempDir
    static Path certificatesDirectory;
    static TestCertificates trusted;
    static TestCertificates stranger;

    @BeforeAll
    static void makeCertificates() throws Exception {
        trusted = TestCertificates.create(certificatesDirectory.resolve("trusted"), "Pyromesh Test CA");
        stranger = TestCertificates.create(certificatesDirectory.resolve("stranger"), "Some Other CA");
    }

    private static PyroConfig server(TestCertificates certificates) {
        return PyroConfig.defaults().with("SSL", true)
                .with("SSL_SERVERCERT", certificates.serverCert.toString())
                .with("SSL_SERVERKEY", certificates.serverKey.toString());
    }

    private static PyroConfig client(Path caCerts) {
        return PyroConfig.defaults().with("SSL", true).with("SSL_CACERTS", caCerts.toString());
    }

    private static Object echo(PyroURI uri, PyroConfig config) {
        try (Proxy proxy = new Proxy(uri, config)) {
            proxy.setTimeout(Duration.ofSeconds(10));
            return proxy.call("echo", "over tls");
        }
    }

    @Test
    void callsTravelOverTlsWhenBothEndsTurnItOn() {
        try (Daemon daemon = Daemon.builder().host("127.0.0.1").config(server(trusted)).build()) {
            PyroURI uri = daemon.register(new EchoServer(), "echo");
            assertThat(echo(uri, client(trusted.caCert))).isEqualTo("over tls");
            assertThat(echo(PyroURI.direct("echo", "localhost", uri.port()), client(trusted.caCert))).isEqualTo("over tls");
        }
    }

    @Test
    void aServerSignedByAnUntrustedCaIsRefused() {
        try (Daemon daemon = Daemon.builder().host("127.0.0.1").config(server(stranger)).build()) {
            PyroURI uri = daemon.register(new EchoServer(), "echo");
            assertThatThrownBy(() -> echo(uri, client(trusted.caCert))).isInstanceOf(CommunicationError.class);
        }
    }

    @Test
    void aPlaintextClientCannotTalkToATlsDaemon() {
        try (Daemon daemon = Daemon.builder().host("127.0.0.1").config(server(trusted)).build()) {
            PyroURI uri = daemon.register(new EchoServer(), "echo");
            assertThatThrownBy(() -> echo(uri, PyroConfig.defaults())).isInstanceOf(CommunicationError.class);
        }
    }

    @Test
    void mutualTlsDemandsAClientCertificateFromTheTrustedCa() {
        PyroConfig mutual = server(trusted).with("SSL_REQUIRECLIENTCERT", true).with("SSL_CACERTS", trusted.caCert.toString());
        try (Daemon daemon = Daemon.builder().host("127.0.0.1").config(mutual).build()) {
            PyroURI uri = daemon.register(new EchoServer(), "echo");
            assertThatThrownBy(() -> echo(uri, client(trusted.caCert))).isInstanceOf(CommunicationError.class);
            PyroConfig foreignCert = client(trusted.caCert)
                    .with("SSL_CLIENTCERT", stranger.clientCert.toString()).with("SSL_CLIENTKEY", stranger.clientKey.toString());
            assertThatThrownBy(() -> echo(uri, foreignCert)).isInstanceOf(CommunicationError.class);
            PyroConfig withCert = client(trusted.caCert)
                    .with("SSL_CLIENTCERT", trusted.clientCert.toString()).with("SSL_CLIENTKEY", trusted.clientKey.toString());
            assertThat(echo(uri, withCert)).isEqualTo("over tls");
        }
    }

    @Test
    void aCaDirectoryWorksLikeACaFile() {
        try (Daemon daemon = Daemon.builder().host("127.0.0.1").config(server(trusted)).build()) {
            PyroURI uri = daemon.register(new EchoServer(), "echo");
            assertThat(echo(uri, client(trusted.caCert.getParent()))).isEqualTo("over tls");
        }
    }

    @Test
    void anEncryptedServerKeyNeedsItsPassword() throws Exception {
        Path encrypted = trusted.encryptedKey(trusted.serverKey, "s3cret");
        PyroConfig withPassword = server(trusted).with("SSL_SERVERKEY", encrypted.toString()).with("SSL_SERVERKEYPASSWD", "s3cret");
        try (Daemon daemon = Daemon.builder().host("127.0.0.1").config(withPassword).build()) {
            PyroURI uri = daemon.register(new EchoServer(), "echo");
            assertThat(echo(uri, client(trusted.caCert))).isEqualTo("over tls");
        }
    }

    @Test
    void missingCertificateFilesAreNamed() {
        PyroConfig missing = PyroConfig.defaults().with("SSL", true).with("SSL_SERVERCERT", "/nonexistent/server.pem");
        assertThatThrownBy(() -> Daemon.builder().host("127.0.0.1").config(missing).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("server cert file not found: /nonexistent/server.pem (PYRO_SSL_SERVERCERT)");
        assertThatThrownBy(() -> Daemon.builder().host("127.0.0.1").config(PyroConfig.defaults().with("SSL", true)).build())
                .isInstanceOf(ConfigException.class)
                .hasMessage("PYRO_SSL is on but PYRO_SSL_SERVERCERT is not set");
    }
}
