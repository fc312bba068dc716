package io.pyromesh.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.server.Daemon;
import io.pyromesh.server.Expose;
import io.pyromesh.testing.TestCertificates;
import io.pyromesh.uri.PyroURI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyReferencesTest {
    @TempDir
    Path certificatesDirectory;

    @Expose
    public static class Counter {
        private final AtomicLong count = new AtomicLong();

        public long increment() {
            return count.incrementAndGet();
        }
    }

    /** Hands out a registered object, which travels as a reference (Pyro's autoproxy). */
    @Expose
    public static class Shop {
        private final Counter counter;

        public Shop(Counter counter) {
            this.counter = counter;
        }

        public Object counter() {
            return counter;
        }
    }

    @Test
    void aReceivedProxyUsesTheReceivingProxysTlsSettingsAndTimeout() throws Exception {
        TestCertificates certificates = TestCertificates.create(certificatesDirectory, "Pyromesh Test CA");
        PyroConfig server = PyroConfig.defaults().with("SSL", true)
                .with("SSL_SERVERCERT", certificates.serverCert.toString())
                .with("SSL_SERVERKEY", certificates.serverKey.toString());
        PyroConfig client = PyroConfig.defaults().with("SSL", true)
                .with("SSL_CACERTS", certificates.caCert.toString()).with("COMMTIMEOUT", 7.5);
        try (Daemon daemon = Daemon.builder().host("127.0.0.1").config(server).build()) {
            Counter counter = new Counter();
            daemon.register(counter, "counter");
            PyroURI shopUri = daemon.register(new Shop(counter), "shop");
            // the process-wide configuration has no TLS: a proxy made with it could not reach the daemon
            assertThat(PyroConfig.current().ssl()).isFalse();
            try (Proxy shop = new Proxy(shopUri, client);
                    Proxy received = (Proxy) shop.call("counter")) {
                assertThat(received.uri()).isEqualTo(daemon.uriFor("counter"));
                assertThat(received.timeout()).isEqualTo(Duration.ofMillis(7500));
                assertThat(received.call("increment")).isEqualTo(1L);
            }
        }
    }
}
