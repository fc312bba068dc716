package io.pyromesh.cli;

import io.pyromesh.client.Proxy;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.PyroError;
import io.pyromesh.gateway.Gateway;
import io.pyromesh.mesh.routing.Explanation;
import io.pyromesh.mesh.routing.Router;
import io.pyromesh.uri.PyroURI;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pyromesh resolve URI}: what a URI resolves to in the mesh, and why. */
@Command(name = "resolve", mixinStandardHelpOptions = true,
        description = "Show what a URI resolves to: the candidate registrations, the one a call would pick, the cache's age, and what answers there.")
final class ResolveCommand implements Callable<Integer> {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    @Parameters(index = "0", paramLabel = "URI", description = "PYRONAME:name, PYROMETA:tag,... or PYRO:id@host:port")
    String uri;

    @Option(names = "--ns", paramLabel = "HOST[:PORT]",
            description = "the name server to resolve through (default: found as locateNS does)")
    String nameServer;

    @Option(names = "--gateway", paramLabel = "ADMIN_URL",
            description = "ask a running gateway instead (its admin port, e.g. http://localhost:9301): its own cache, in-flight counts and allow-list")
    String gateway;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PyroURI parsed = PyroURI.parse(uri);
        if (gateway != null) {
            return askGateway();
        }
        PyroConfig config = PyroConfig.current();
        Router.Builder builder = Router.builder(config);
        if (nameServer != null) {
            HostPort ns = HostPort.parse(nameServer);
            builder.nameServer(ns.host(), ns.port());
        }
        try (Router router = builder.start()) {
            if (parsed.protocol() != PyroURI.Protocol.PYRO && !router.awaitCurrent(Duration.ofSeconds(10))) {
                System.err.println("Error: NamingError - the name server's registrations did not arrive: " + router.cacheState().problem());
                return 1;
            }
            Explanation explanation = router.explain(parsed);
            if (json) {
                System.out.print(Gateway.json(new Gateway.Resolved(explanation, explanation.error())));
            } else {
                explanation.lines().forEach(System.out::println);
                if (explanation.pick() != null) {
                    behind(PyroURI.parse(explanation.pick().uri()), config);
                }
            }
            return explanation.error().isEmpty() ? 0 : 1;
        }
    }

    /** Asks what answers at the pick: its location's {@code Pyro.Daemon} (a daemon, or a sidecar), and the object. */
    private static void behind(PyroURI pick, PyroConfig config) {
        PyroConfig quick = config.with("COMMTIMEOUT", PROBE_TIMEOUT.toMillis() / 1000.0);
        try (Proxy daemon = new Proxy(pick.withObject(PyroURI.DAEMON_NAME), quick)) {
            System.out.println("behind it:  " + daemon.call("info"));
        } catch (PyroError unanswered) {
            System.out.println("behind it:  " + pick.location() + " does not answer as a daemon or sidecar: " + unanswered.getMessage());
        }
        try (Proxy object = new Proxy(pick, quick)) {
            System.out.println("object:     " + pick.object() + " exposes methods " + object.metadata().methods()
                    + (object.metadata().attrs().isEmpty() ? "" : " and properties " + object.metadata().attrs()));
        } catch (PyroError unanswered) {
            System.out.println("object:     " + pick.object() + " does not answer: " + unanswered.getMessage());
        }
    }

    private int askGateway() throws IOException, InterruptedException {
        String url = gateway.replaceAll("/+$", "") + "/resolve?uri=" + URLEncoder.encode(uri, StandardCharsets.UTF_8);
        HttpResponse<String> answer;
        try {
            answer = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build()
                    .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException unreachable) {
            System.err.println("Error: CommunicationError - cannot reach the gateway's admin port at " + gateway + ": " + unreachable);
            return 1;
        }
        System.out.print(answer.body());
        return answer.statusCode() == 200 && answer.body().contains("\"reachable\" : true") ? 0 : 1;
    }
}
