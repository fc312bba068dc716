package io.pyromesh.client;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.NamingError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.errors.TimeoutError;
import io.pyromesh.naming.NameServerLocator;
import io.pyromesh.uri.PyroURI;
import io.pyromesh.values.PythonRepr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Turns PYRONAME and PYROMETA URIs into PYRO URIs through the name server (Pyro's {@code resolve}).
 * Each resolution locates the name server afresh, so a moved name server is found again. With
 * {@code NS_LOOKUP_DELAY}, a name that is not (yet) registered is looked up again until that much time
 * has passed, pausing {@code max(0.2 s, delay / 5)} between tries.
 */
public final class NameResolution {
    private NameResolution() {}

    /** The PYRO URI a URI stands for: itself if it is one already. */
    public static PyroURI resolve(PyroURI uri, PyroConfig config) {
        if (uri.protocol() == PyroURI.Protocol.PYRO) {
            return uri;
        }
        try (Proxy nameServer = NameServerLocator.locate(uri.host(), uri.port(), config)) {
            Supplier<PyroURI> lookup = uri.protocol() == PyroURI.Protocol.PYRONAME
                    ? () -> asUri(nameServer.call("lookup", uri.object()))
                    : () -> randomMatch(nameServer, uri);
            return retrying(lookup, config.nsLookupDelay());
        }
    }

    private static PyroURI randomMatch(Proxy nameServer, PyroURI uri) {
        Map<?, ?> found = (Map<?, ?>) nameServer.call("yplookup", new ArrayList<>(uri.metaTags()), null, false);
        List<Object> candidates = new ArrayList<>(found.values());
        if (candidates.isEmpty()) {
            throw new NamingError("no registrations available with desired metadata properties " + PythonRepr.of(uri.metaTags()));
        }
        return asUri(candidates.get(ThreadLocalRandom.current().nextInt(candidates.size())));
    }

    private static PyroURI retrying(Supplier<PyroURI> lookup, Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        long pauseMillis = Math.max(200, delay.toMillis() / 5);
        while (true) {
            try {
                return lookup.get();
            } catch (NamingError | TimeoutError notYet) {
                if (System.nanoTime() + pauseMillis * 1_000_000 > deadline) {
                    throw notYet;
                }
                sleep(pauseMillis);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PyroError("interrupted while waiting to look a name up again");
        }
    }

    private static PyroURI asUri(Object value) {
        return value instanceof PyroURI uri ? uri : PyroURI.parse(String.valueOf(value));
    }
}
