package io.pyromesh.cli;

import io.pyromesh.sidecar.Sidecar;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pyromesh sidecar}: the sidecar of this host, until interrupted (SIGTERM drains it). */
@Command(name = "sidecar", mixinStandardHelpOptions = true,
        description = "Run this host's sidecar: local apps attach their objects to it; it publishes and forwards them.")
final class SidecarCommand implements Callable<Integer> {
    @Option(names = {"-n", "--host"}, description = "host of the public listener (default: HOST, localhost; 0.0.0.0 for all)")
    String host;

    @Option(names = {"-p", "--port"}, defaultValue = "9100", description = "port of the public listener (default: 9100; 0 = any free port)")
    int port;

    @Option(names = {"-l", "--local-port"}, defaultValue = "9101",
            description = "port on 127.0.0.1 where apps attach and send their calls (default: 9101; 0 = any free port)")
    int localPort;

    @Option(names = "--nathost", description = "external hostname in the registered URIs, in case of NAT")
    String natHost;

    @Option(names = "--natport", defaultValue = "0", description = "external port in the registered URIs, in case of NAT")
    int natPort;

    @Option(names = "--ns-host", description = "the name server's host (default: found as locateNS() does: NS_HOST, localhost, discovery)")
    String nsHost;

    @Option(names = "--ns-port", defaultValue = "0", description = "the name server's port, with --ns-host (default: NS_PORT)")
    int nsPort;

    @Option(names = "--admin-port", defaultValue = "9102",
            description = "HTTP port for /metrics and /health, on the public listener's host (default: 9102; 0 = any free port; -1 = none)")
    int adminPort;

    @Option(names = "--lease", defaultValue = "10",
            description = "seconds the sidecar's registrations live unless renewed: how soon a dead sidecar's names expire (default: 10, at least 3)")
    double leaseSeconds;

    @Option(names = "--grace", defaultValue = "10",
            description = "seconds calls under way may take to finish when the sidecar is stopped (default: 10)")
    double graceSeconds;

    @Override
    public Integer call() throws InterruptedException {
        Sidecar.Builder builder = Sidecar.builder().port(port).localPort(localPort).natPort(natPort).adminPort(adminPort)
                .lease(seconds(leaseSeconds, "--lease")).grace(seconds(graceSeconds, "--grace"));
        if (host != null) {
            builder.host(host);
        }
        if (natHost != null) {
            builder.natHost(natHost);
        }
        if (nsHost != null) {
            builder.nameServer(nsHost, nsPort);
        } else if (nsPort != 0) {
            throw new IllegalArgumentException("--ns-port needs --ns-host");
        }
        Sidecar sidecar = builder.start();
        // the hook says it is done itself: once hooks end the JVM halts, before the main thread could print
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sidecar.close();
            System.out.println("Sidecar shut down.");
            System.out.flush();
        }, "sidecar-shutdown"));
        System.out.println("Sidecar running on " + sidecar.publicLocation() + ": names are registered as PYRO:<id>@"
                + sidecar.publicLocation());
        System.out.println("Apps attach at " + sidecar.localAddress() + " (PYRO_SIDECAR=" + sidecar.localAddress() + ")");
        if (sidecar.adminUrl() != null) {
            System.out.println("Admin port: " + sidecar.adminUrl() + " (/metrics, /health)");
        }
        System.out.println(sidecar.nameServer().map(ns -> "Name server: " + ns)
                .orElse("No name server answers yet: names are registered once one does"));
        System.out.flush();
        sidecar.awaitTermination();
        return 0;
    }

    private static Duration seconds(double seconds, String option) {
        if (!(seconds >= 0) || seconds > 1e9) {
            throw new IllegalArgumentException(option + " must be a number of seconds >= 0, not " + seconds);
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }
}
