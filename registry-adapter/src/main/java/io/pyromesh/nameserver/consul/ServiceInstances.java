package io.pyromesh.nameserver.consul;

import io.pyromesh.errors.PyroError;
import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.nameserver.store.StoreException;
import io.pyromesh.uri.PyroURI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.kiwiproject.consul.model.agent.ImmutableRegCheck;
import org.kiwiproject.consul.model.agent.ImmutableRegistration;
import org.kiwiproject.consul.model.health.Service;

/**
 * How a {@link Registration} is written as a Consul service instance, and read back:
 *
 * <ul>
 *   <li>service name: the Pyro name through {@link ServiceNames}; instance id: {@code pyro-} and a random
 *       UUID, new for each registration;
 *   <li>{@code Tags}: the metadata tags, as they are;
 *   <li>{@code Meta}: {@code pyro-uri} (a URI longer than Consul's 512 bytes per value continues in
 *       {@code pyro-uri-2}, {@code pyro-uri-3} ...), {@code pyro-name} (the name, for people and other tools;
 *       left out when over 512 bytes, the service name carries it anyway), {@code pyro-registered} and, for a
 *       lease, {@code pyro-expires} (ISO-8601 instants);
 *   <li>{@code Address}/{@code Port}: the URI's host and port, for Consul's DNS and other clients;
 *   <li>a lease: a TTL check, passing when registered, whose TTL is the time left, with
 *       {@code DeregisterCriticalServiceAfter}: Consul hides the instance when the lease runs out unrenewed,
 *       and removes it that much later.
 * </ul>
 */
final class ServiceInstances {
    static final String URI = "pyro-uri";
    static final String NAME = "pyro-name";
    static final String REGISTERED = "pyro-registered";
    static final String EXPIRES = "pyro-expires";
    /** Consul's limits on Meta: 512 bytes per value, 64 keys. */
    private static final int VALUE_BYTES = 512;
    private static final int MAX_KEYS = 64;

    private final Duration deregisterCriticalAfter;

    ServiceInstances(Duration deregisterCriticalAfter) {
        this.deregisterCriticalAfter = deregisterCriticalAfter;
    }

    static String newId() {
        return "pyro-" + java.util.UUID.randomUUID();
    }

    ImmutableRegistration toConsul(String id, Registration registration, Instant now) {
        Map<String, String> meta = new LinkedHashMap<>();
        putChunked(meta, URI, registration.uri());
        if (utf8Length(registration.name()) <= VALUE_BYTES) {
            meta.put(NAME, registration.name());
        }
        meta.put(REGISTERED, now.toString());
        if (registration.expires() != null) {
            meta.put(EXPIRES, registration.expires().toString());
        }
        if (meta.size() > MAX_KEYS) {
            throw new StoreException("URI too long for Consul's service metadata: "
                    + utf8Length(registration.uri()) + " bytes", null);
        }
        ImmutableRegistration.Builder service = ImmutableRegistration.builder().id(id)
                .name(ServiceNames.encode(registration.name()))
                .tags(new TreeSet<>(registration.metadata()))
                .meta(meta);
        hostAndPort(registration.uri()).ifPresent(uri -> service.address(uri.host()).port(uri.port()));
        if (registration.expires() != null) {
            long ttl = Math.max(1000, Duration.between(now, registration.expires()).toMillis());
            service.check(ImmutableRegCheck.builder().ttl(ttl + "ms").status("passing")
                    .deregisterCriticalServiceAfter(deregisterCriticalAfter.toMillis() + "ms")
                    .notes("Pyro lease: renewed by the name server, critical when it ends").build());
        }
        return service.build();
    }

    /** The instance a Consul service stands for; empty for services that are not Pyro registrations. */
    static Optional<Instance> fromConsul(String node, Service service) {
        Map<String, String> meta = service.getMeta();
        Optional<String> name = ServiceNames.decode(service.getService());
        if (name.isEmpty() || meta == null || !meta.containsKey(URI) || !meta.containsKey(REGISTERED)) {
            return Optional.empty();
        }
        try {
            Instant registered = Instant.parse(meta.get(REGISTERED));
            Instant expires = meta.containsKey(EXPIRES) ? Instant.parse(meta.get(EXPIRES)) : null;
            Registration registration = new Registration(name.get(), joined(meta, URI),
                    new HashSet<>(service.getTags()), expires);
            return Optional.of(new Instance(service.getId(), node, registered, registration));
        } catch (DateTimeParseException foreign) {
            return Optional.empty();
        }
    }

    private static Optional<PyroURI> hostAndPort(String uri) {
        try {
            PyroURI parsed = PyroURI.parse(uri);
            return parsed.host() != null && parsed.port() > 0 ? Optional.of(parsed) : Optional.empty();
        } catch (PyroError notAPyroUri) {
            return Optional.empty();
        }
    }

    private static void putChunked(Map<String, String> meta, String key, String value) {
        List<String> chunks = chunks(value);
        meta.put(key, chunks.get(0));
        for (int i = 1; i < chunks.size(); i++) {
            meta.put(key + "-" + (i + 1), chunks.get(i));
        }
    }

    private static String joined(Map<String, String> meta, String key) {
        StringBuilder value = new StringBuilder(meta.get(key));
        for (int i = 2; meta.containsKey(key + "-" + i); i++) {
            value.append(meta.get(key + "-" + i));
        }
        return value.toString();
    }

    /** Pieces of at most 512 UTF-8 bytes, never splitting a code point. */
    private static List<String> chunks(String value) {
        List<String> chunks = new ArrayList<>();
        int start = 0;
        int bytes = 0;
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            int size = utf8Length(new String(Character.toChars(codePoint)));
            if (bytes + size > VALUE_BYTES) {
                chunks.add(value.substring(start, i));
                start = i;
                bytes = 0;
            }
            bytes += size;
            i += Character.charCount(codePoint);
        }
        chunks.add(value.substring(start));
        return chunks;
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
