package io.pyromesh.nameserver;

import io.pyromesh.errors.PyroError;
import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.uri.PyroURI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Pyro's {@code NS_AUTOCLEAN}: removes registrations whose endpoint has stopped answering. Each sweep
 * tries every registered {@code PYRO:} endpoint once (however many names point at it); an endpoint
 * that has failed every try for {@link #GRACE} or longer loses its registrations. One success forgives
 * all earlier failures, so a daemon that restarts quickly keeps its names.
 */
final class AutoCleaner {
    /** How long an endpoint must stay unreachable before its names go (Pyro's 20 seconds). */
    static final Duration GRACE = Duration.ofSeconds(20);
    private static final Logger LOG = Logger.getLogger(AutoCleaner.class.getName());

    private final NameRegistry registry;
    private final Clock clock;
    private final Predicate<PyroURI> reachable;
    /** Endpoints (URI locations) failing since when. */
    private final Map<String, Instant> failingSince = new HashMap<>();

    AutoCleaner(NameRegistry registry, Clock clock, Predicate<PyroURI> reachable) {
        this.registry = registry;
        this.clock = clock;
        this.reachable = reachable;
    }

    /** One round: probe each endpoint, remove the names of those unreachable for the grace period. */
    synchronized int sweep() {
        Map<String, List<String>> namesByEndpoint = new HashMap<>();
        Map<String, PyroURI> endpoints = new HashMap<>();
        for (Registration registration : registry.list(null, null)) {
            PyroURI uri = parse(registration.uri());
            if (uri == null || uri.protocol() != PyroURI.Protocol.PYRO || registration.name().equals(PyroURI.NAMESERVER_NAME)) {
                continue;
            }
            namesByEndpoint.computeIfAbsent(uri.location(), location -> new ArrayList<>()).add(registration.name());
            endpoints.putIfAbsent(uri.location(), uri);
        }
        failingSince.keySet().retainAll(endpoints.keySet());
        List<String> doomed = new ArrayList<>();
        Instant now = clock.instant();
        endpoints.forEach((location, uri) -> {
            if (reachable.test(uri)) {
                failingSince.remove(location);
                return;
            }
            Instant since = failingSince.computeIfAbsent(location, unused -> now);
            if (Duration.between(since, now).compareTo(GRACE) >= 0) {
                doomed.addAll(namesByEndpoint.get(location));
                failingSince.remove(location);
            }
        });
        if (doomed.isEmpty()) {
            return 0;
        }
        LOG.info(() -> "autoclean: removing unreachable registrations " + doomed);
        return registry.removeUnreachable(doomed);
    }

    private static PyroURI parse(String uri) {
        try {
            return PyroURI.parse(uri);
        } catch (PyroError unparsable) {
            return null;
        }
    }
}
