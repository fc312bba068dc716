package io.pyromesh.nameserver.consul;

import io.pyromesh.config.PyroConfig;
import io.pyromesh.internal.ConsulNameServers;
import io.pyromesh.uri.PyroURI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.kiwiproject.consul.NotRegisteredException;
import org.kiwiproject.consul.model.agent.ImmutableRegCheck;
import org.kiwiproject.consul.model.agent.ImmutableRegistration;

/**
 * A name server's own entry in Consul, which {@code locateNS()} finds: an instance of the service
 * {@value ConsulNameServers#SERVICE} with the name server's address, port and URI ({@code Meta pyro-uri}),
 * and a TTL check of {@link #TTL} that this class passes every third of it. A name server that dies is
 * hidden by Consul within the TTL and removed a minute later; one that closes removes its entry at once.
 * While Consul cannot be reached it keeps trying, and registers again when Consul has forgotten it.
 */
public final class ConsulAnnouncement implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConsulAnnouncement.class.getName());
    static final Duration TTL = Duration.ofSeconds(10);
    private static final String CONSUL_STORE = "consul:";

    private final ConsulConnection consul;
    private final ImmutableRegistration registration;
    private final ScheduledExecutorService timer;
    private volatile boolean failing;

    private ConsulAnnouncement(String address, PyroURI uri) {
        this.consul = new ConsulConnection(address, Duration.ZERO);
        String id = ConsulNameServers.SERVICE + "-" + java.util.UUID.randomUUID();
        ImmutableRegistration.Builder service = ImmutableRegistration.builder().id(id).name(ConsulNameServers.SERVICE)
                .meta(Map.of(ConsulNameServers.URI_META, uri.toString()))
                .check(ImmutableRegCheck.builder().ttl(TTL.toSeconds() + "s").status("passing")
                        .deregisterCriticalServiceAfter(ConsulStore.DEREGISTER_CRITICAL_AFTER.toSeconds() + "s")
                        .notes("passed by the name server while it runs").build());
        if (!uri.isUnixSocket()) {
            service.address(uri.host()).port(uri.port());
        }
        this.registration = service.build();
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "consul-announcement");
            thread.setDaemon(true);
            return thread;
        });
        register();
        long period = TTL.toMillis() / 3;
        timer.scheduleWithFixedDelay(this::pass, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Announces a name server at {@code uri} when it keeps its registrations in Consul ({@code storage}
     * {@code consul:URL}) or {@code CONSUL_ADDR} names an agent; otherwise there is nothing to announce.
     */
    public static Optional<ConsulAnnouncement> forNameServer(String storage, PyroConfig config, PyroURI uri) {
        String address = storage.startsWith(CONSUL_STORE) ? storage.substring(CONSUL_STORE.length()) : config.consulAddr();
        return address == null ? Optional.empty() : Optional.of(new ConsulAnnouncement(address, uri));
    }

    /** The instance id it registered. */
    public String id() {
        return registration.getId();
    }

    private void register() {
        attempt(() -> consul.requests().agentClient().register(registration));
    }

    private void pass() {
        attempt(() -> {
            try {
                consul.requests().agentClient().pass(registration.getId());
            } catch (NotRegisteredException forgotten) {
                // a restarted agent has lost it
                consul.requests().agentClient().register(registration);
            }
        });
    }

    private void attempt(Runnable request) {
        try {
            consul.run("announce the name server", request);
            if (failing) {
                LOG.info("the name server is announced in consul at " + consul.address() + " again");
            }
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warning("cannot announce the name server in consul: " + e.getMessage() + "; retrying");
            }
            failing = true;
        }
    }

    /** Removes the entry from Consul (if Consul can be reached) and stops renewing it. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            consul.run("withdraw the name server", () -> consul.requests().agentClient().deregister(registration.getId()));
        } catch (RuntimeException e) {
            LOG.warning("cannot withdraw the name server from consul (its check will expire): " + e.getMessage());
        } finally {
            consul.close();
        }
    }
}
