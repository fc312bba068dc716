package io.pyromesh.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.uri.PyroURI;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The name servers registered in Consul: the passing instances of the service {@value #SERVICE}, nearest
 * to the asked agent first. Asked of Consul's HTTP health API with the JDK's own HTTP client, so an
 * application that embeds core needs no Consul library.
 */
public final class ConsulNameServers {
    /** The Consul service a name server registers itself as. */
    public static final String SERVICE = "pyromesh-ns";
    /** The service Meta key holding the name server's URI. */
    public static final String URI_META = "pyro-uri";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Far more than any real answer; a bigger one is refused before it is parsed. */
    private static final int MAX_ANSWER_BYTES = 4 << 20;
    private static final Set<String> WILDCARDS = Set.of("", "0.0.0.0", "::", "[::]");

    private ConsulNameServers() {}

    /**
     * The URIs of the name servers Consul at {@code consulAddress} ({@code http://HOST:PORT}) reports
     * passing.
     *
     * @throws CommunicationError naming Consul if it cannot be asked or gives no usable answer
     */
    static List<PyroURI> passing(String consulAddress) {
        String base = consulAddress.endsWith("/") ? consulAddress.substring(0, consulAddress.length() - 1) : consulAddress;
        URI query = URI.create(base + "/v1/health/service/" + URLEncoder.encode(SERVICE, StandardCharsets.UTF_8)
                + "?passing=true&near=_agent");
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        try {
            HttpResponse<InputStream> answer = http.send(HttpRequest.newBuilder(query).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = answer.body()) {
                body = in.readNBytes(MAX_ANSWER_BYTES + 1);
            }
            if (answer.statusCode() != 200) {
                throw new CommunicationError("consul at " + consulAddress + " answered " + answer.statusCode()
                        + " to " + query.getPath());
            }
            if (body.length > MAX_ANSWER_BYTES) {
                throw new CommunicationError("consul at " + consulAddress + " answered with more than "
                        + MAX_ANSWER_BYTES + " bytes");
            }
            return uris(new ObjectMapper().readTree(body));
        } catch (IOException e) {
            throw new CommunicationError("cannot ask consul at " + consulAddress + " for name servers: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommunicationError("interrupted while asking consul at " + consulAddress, e);
        }
    }

    /** The usable URI of each entry; entries that do not say where their name server is are left out. */
    private static List<PyroURI> uris(JsonNode entries) {
        List<PyroURI> uris = new ArrayList<>();
        for (JsonNode entry : entries) {
            JsonNode service = entry.path("Service");
            String host = service.path("Address").asText("");
            if (WILDCARDS.contains(host)) {
                host = entry.path("Node").path("Address").asText("");   // Consul's rule for an empty address
            }
            int port = service.path("Port").asInt(0);
            String registered = service.path("Meta").path(URI_META).asText("");
            try {
                PyroURI uri = PyroURI.parse(registered);
                if (uri.isUnixSocket() || !WILDCARDS.contains(uri.host())) {
                    uris.add(uri);
                    continue;
                }
            } catch (PyroError unusable) {
                // fall back to the service's address
            }
            if (!WILDCARDS.contains(host) && port > 0) {
                uris.add(PyroURI.direct(PyroURI.NAMESERVER_NAME, host, port));
            }
        }
        return uris;
    }
}
