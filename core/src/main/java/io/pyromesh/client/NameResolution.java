package io.pyromesh.client;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.NamingError;
import io.pyromesh.uri.PyroURI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns PYRONAME and PYROMETA URIs into PYRO URIs through the name server (Pyro's {@code resolve}).
 * Each resolution uses a fresh name-server proxy, so a moved name server is found again.
 */
final class NameResolution {
    private NameResolution() {}

    static PyroURI resolve(PyroURI uri, PyroConfig config) {
        String host = uri.host() != null ? uri.host() : config.nsHost();
        int port = uri.host() != null ? uri.port() : config.nsPort();
        try (Proxy nameServer = new Proxy(PyroURI.direct(PyroURI.NAMESERVER_NAME, host, port), config)) {
            if (uri.protocol() == PyroURI.Protocol.PYRONAME) {
                return asUri(nameServer.call("lookup", uri.object()));
            }
            Object found = nameServer.call("yplookup", new ArrayList<>(uri.metaTags()), null, false);
            List<Object> candidates = new ArrayList<>(((Map<?, ?>) found).values());
            if (candidates.isEmpty()) {
                throw new NamingError("no registrations available with desired metadata properties " + uri.metaTags());
            }
            return asUri(candidates.get(ThreadLocalRandom.current().nextInt(candidates.size())));
        }
    }

    private static PyroURI asUri(Object value) {
        return value instanceof PyroURI uri ? uri : PyroURI.parse(String.valueOf(value));
    }
}
