package io.pyromesh.sidecar;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.nameserver.NameServerDaemon;
import io.pyromesh.naming.NameServer;
import io.pyromesh.server.Daemon;
import io.pyromesh.uri.PyroURI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/** A name server and a sidecar in this JVM, on free 127.0.0.1 ports, and Java apps attached to the sidecar. */
final class TestMesh implements AutoCloseable {
    static final PyroConfig CONFIG = PyroConfig.defaults().withHost("127.0.0.1");

    final NameServerDaemon ns;
    final Sidecar sidecar;

    private TestMesh(NameServerDaemon ns, Sidecar sidecar) {
        this.ns = ns;
        this.sidecar = sidecar;
    }

    static TestMesh start() {
        NameServerDaemon ns = NameServerDaemon.builder().config(CONFIG).host("127.0.0.1").port(0).broadcast(false).start();
        try {
            return new TestMesh(ns, sidecarFor(ns).start());
        } catch (RuntimeException failed) {
            ns.close();
            throw failed;
        }
    }

    /** A sidecar on free ports that registers with {@code ns}. */
    static Sidecar.Builder sidecarFor(NameServerDaemon ns) {
        return Sidecar.builder().config(CONFIG).host("127.0.0.1").port(0).localPort(0).adminPort(0)
                .nameServer("127.0.0.1", ns.uri().port()).grace(Duration.ofSeconds(2));
    }

    /** A daemon attached to the sidecar, serving {@code objects} (id to object) and publishing {@code names} (id to name). */
    Daemon app(Map<String, Object> objects, Map<String, String> names) {
        Daemon daemon = Daemon.builder().config(CONFIG).sidecar(sidecar.localAddress()).build();
        objects.forEach((id, object) -> daemon.register(object, id));
        names.forEach((id, name) -> daemon.sidecar().orElseThrow().publish(name, id, Set.of("test:" + id)));
        return daemon;
    }

    /** A proxy of the name server. */
    NameServer nameServer() {
        return new Proxy(ns.uri(), CONFIG).as(NameServer.class);
    }

    /** A proxy for {@code uri}, with this mesh's configuration. */
    Proxy proxy(String uri) {
        return new Proxy(PyroURI.parse(uri), CONFIG);
    }

    /** A PYRONAME URI resolved by this mesh's name server. */
    String byName(String name) {
        return "PYRONAME:" + name + "@127.0.0.1:" + ns.uri().port();
    }

    @Override
    public void close() {
        sidecar.shutdown(Duration.ofSeconds(1));
        ns.close();
    }
}
