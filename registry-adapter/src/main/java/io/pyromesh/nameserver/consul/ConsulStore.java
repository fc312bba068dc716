package io.pyromesh.nameserver.consul;

import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.nameserver.store.Store;
import io.pyromesh.nameserver.store.StoreUnavailableError;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.kiwiproject.consul.ConsulException;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.State;
import org.kiwiproject.consul.model.catalog.CatalogNode;
import org.kiwiproject.consul.model.catalog.ImmutableCatalogDeregistration;
import org.kiwiproject.consul.model.health.HealthCheck;
import org.kiwiproject.consul.option.ConsistencyMode;
import org.kiwiproject.consul.option.ImmutableQueryOptions;
import org.kiwiproject.consul.option.QueryOptions;

/**
 * The {@code consul:http://HOST:PORT} store: the registrations live in Consul, as service instances
 * registered through the agent at that address ({@link ServiceInstances} says how, {@link ServiceNames} how
 * names are mapped), so several name servers over one Consul cluster serve the same names.
 *
 * <p>Reads never cost a round trip: they are answered from a local cache fed by Consul blocking queries,
 * one on every node's health checks and one per node on its services ({@link CatalogWatch}); a change made
 * in Consul reaches the cache as soon as Consul's answer arrives, and the cache answers only while every
 * query has heard from Consul within {@link CatalogWatch#STALENESS_BOUND} (9 s): otherwise reads fail,
 * like writes, with {@link StoreUnavailableError} naming Consul's address, and {@link #available()} is
 * false until Consul answers again. Writes go to Consul first, then straight into the cache. Changes that
 * others make (another name server, a lease's TTL check gone critical) are reported to
 * {@link #onExternalChange} listeners; the store's own are not.
 *
 * <p>What Consul cannot give: {@code putIfAbsent} checks the cache, so two name servers registering one
 * name at the same instant may both succeed (the newer instance then wins everywhere). A registration
 * belongs to the agent it was made through; replacing or removing one made through another agent goes
 * through Consul's catalog, which that agent restores while it runs, so name servers that change each
 * other's registrations should share an agent.
 */
public final class ConsulStore implements Store {
    private static final Logger LOG = Logger.getLogger(ConsulStore.class.getName());
    /** Consul's floor: it never reaps a critical service sooner than this. */
    static final Duration DEREGISTER_CRITICAL_AFTER = Duration.ofMinutes(1);
    private static final String CHECKS = "checks";
    private static final String NODE = "node ";
    /** Answered by any server from its own copy, as the watch's queries are (see {@link CatalogWatch}). */
    private static final QueryOptions STALE = ImmutableQueryOptions.builder().consistencyMode(ConsistencyMode.STALE).build();

    private final ConsulConnection consul;
    private final ServiceInstances instances = new ServiceInstances(DEREGISTER_CRITICAL_AFTER);
    private final CatalogMirror mirror = new CatalogMirror();
    private final WriteThroughCache cache;
    private final CatalogWatch watch;
    private final String node;
    /** For each name this store registered, the instance it made (always on {@link #node}). */
    private final Map<String, Instance> own = new HashMap<>();
    private final List<Consumer<ExternalChange>> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();

    /**
     * Connects to the Consul agent at {@code address} and loads what it holds.
     *
     * @throws IllegalArgumentException if {@code address} is not {@code http://HOST:PORT}
     * @throws StoreUnavailableError if Consul cannot be reached
     */
    public ConsulStore(String address) {
        LongSupplier nanoTime = System::nanoTime;
        this.consul = new ConsulConnection(address, CatalogWatch.WAIT);
        this.cache = new WriteThroughCache(nanoTime);
        this.watch = new CatalogWatch(consul.address(), nanoTime);
        try {
            this.node = consul.call("tell its node name", () -> consul.requests().agentClient().getAgent().getConfig().getNodeName());
            long asOf = nanoTime.getAsLong();
            ConsulResponse<List<HealthCheck>> checks = consul.call("list health checks",
                    () -> consul.requests().healthClient().getChecksByState(State.ANY, STALE));
            synchronized (lock) {
                mirror.replaceHealth(health(checks.getResponse()));
            }
            for (String known : mirror.nodes()) {
                ConsulResponse<CatalogNode> services = consul.call("list the services of node " + known,
                        () -> consul.requests().catalogClient().getNode(known, STALE));
                applyNode(known, services.getResponse(), asOf);
                watchNode(known, services.getIndex());
            }
            watch.start(CHECKS, checks.getIndex(),
                    options -> consul.watches().healthClient().getChecksByState(State.ANY, options), this::applyHealth);
        } catch (RuntimeException failed) {
            close();
            throw failed;
        }
    }

    /** The Consul agent's address, {@code http://HOST:PORT}. */
    public String address() {
        return consul.address();
    }

    @Override
    public void put(Registration registration) {
        synchronized (lock) {
            register(registration);
        }
    }

    @Override
    public boolean putIfAbsent(Registration registration) {
        synchronized (lock) {
            if (fresh().get(registration.name()).isPresent()) {
                return false;
            }
            register(registration);
            return true;
        }
    }

    @Override
    public Optional<Registration> get(String name) {
        synchronized (lock) {
            return fresh().get(name);
        }
    }

    @Override
    public boolean remove(String name) {
        synchronized (lock) {
            return unregister(name);
        }
    }

    @Override
    public int removeAll(Collection<String> names) {
        int removed = 0;
        for (String name : names) {
            // one name at a time: the watch applies Consul's answers in between, rather than going stale
            synchronized (lock) {
                if (unregister(name)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    @Override
    public List<Registration> withPrefix(String prefix) {
        synchronized (lock) {
            return fresh().withPrefix(prefix);
        }
    }

    @Override
    public List<Registration> withAllMetadata(Set<String> tags) {
        synchronized (lock) {
            return fresh().withAllMetadata(tags);
        }
    }

    @Override
    public List<Registration> withAnyMetadata(Set<String> tags) {
        synchronized (lock) {
            return fresh().withAnyMetadata(tags);
        }
    }

    @Override
    public boolean setMetadata(String name, Set<String> metadata) {
        synchronized (lock) {
            Optional<Registration> old = fresh().get(name);
            old.ifPresent(registration -> update(registration.withMetadata(metadata)));
            return old.isPresent();
        }
    }

    @Override
    public boolean setExpires(String name, Instant expires) {
        synchronized (lock) {
            Optional<Registration> old = fresh().get(name);
            old.ifPresent(registration -> update(registration.withExpires(expires)));
            return old.isPresent();
        }
    }

    /**
     * Only the registrations this store made: another name server's, or a crashed one's, are ended by
     * Consul's TTL checks and reaped after {@code DeregisterCriticalServiceAfter} by the agent that holds
     * them. A name server that deregistered them from the catalog itself would race that agent, which
     * puts them back until it reaps them.
     */
    @Override
    public List<Registration> expiredAt(Instant now) {
        synchronized (lock) {
            return fresh().expiredAt(now).stream().filter(registration -> own.containsKey(registration.name())).toList();
        }
    }

    @Override
    public int count() {
        synchronized (lock) {
            return fresh().count();
        }
    }

    @Override
    public void onExternalChange(Consumer<ExternalChange> listener) {
        listeners.add(listener);
    }

    @Override
    public boolean available() {
        return watch.problem() == null;
    }

    @Override
    public void close() {
        watch.close();
        consul.close();
    }

    /** The cache, if Consul's answers are fresh enough to answer from it. */
    private io.pyromesh.nameserver.store.MemoryStore fresh() {
        String problem = watch.problem();
        if (problem != null) {
            throw new StoreUnavailableError(problem, null);
        }
        return cache.view();
    }

    /** A new instance for the registration; the name's other instances go. */
    private void register(Registration registration) {
        Instant now = Instant.now();
        String id = ServiceInstances.newId();
        consul.run("register " + registration.name(),
                () -> consul.requests().agentClient().register(instances.toConsul(id, registration, now)));
        for (Instance other : instancesOf(registration.name())) {
            if (!other.id().equals(id)) {
                deregister(other);
            }
        }
        Instance created = new Instance(id, node, now, registration);
        own.put(registration.name(), created);
        cache.written(created, now);
    }

    /** A changed registration: its own instance updated in place, if this store made it; else a new one. */
    private void update(Registration changed) {
        Instance mine = own.get(changed.name());
        if (mine == null) {
            register(changed);
            return;
        }
        Instant now = Instant.now();
        consul.run("update " + changed.name(),
                () -> consul.requests().agentClient().register(instances.toConsul(mine.id(), changed, now)));
        Instance updated = new Instance(mine.id(), node, now, changed);
        own.put(changed.name(), updated);
        cache.written(updated, now);
    }

    private boolean unregister(String name) {
        Instant now = Instant.now();
        boolean existed = cache.view().get(name).isPresent();
        Collection<Instance> all = instancesOf(name);
        for (Instance instance : all) {
            deregister(instance);
        }
        own.remove(name);
        if (existed || !all.isEmpty()) {
            cache.removed(name, now);
        }
        return existed;
    }

    /** Every instance of a name Consul showed, and the one this store made, which it may not show yet. */
    private Collection<Instance> instancesOf(String name) {
        Map<String, Instance> all = new LinkedHashMap<>();
        for (Instance instance : mirror.instances(name)) {
            all.put(instance.id(), instance);
        }
        Instance mine = own.get(name);
        if (mine != null) {
            all.putIfAbsent(mine.id(), mine);
        }
        return all.values();
    }

    private void deregister(Instance instance) {
        try {
            if (instance.node().equals(node)) {
                consul.requests().agentClient().deregister(instance.id());
            } else {
                consul.requests().catalogClient().deregister(ImmutableCatalogDeregistration.builder()
                        .node(instance.node()).serviceId(instance.id()).build());
            }
        } catch (ConsulException e) {
            if (!ConsulConnection.notFound(e)) {   // gone already: what was wanted
                throw consul.failure("deregister " + instance.name(), e);
            }
        }
    }

    private void watchNode(String name, BigInteger index) {
        watch.start(NODE + name, index,
                options -> consul.watches().catalogClient().getNode(name, options),
                (services, asOf) -> applyNode(name, services, asOf));
    }

    private void applyHealth(List<HealthCheck> checks, long asOf) {
        Map<String, CatalogMirror.Health> nodes = health(checks);
        List<ExternalChange> changes;
        synchronized (lock) {
            changes = reconcile(mirror.replaceHealth(nodes), asOf);
        }
        Set<String> keys = new HashSet<>(List.of(CHECKS));
        for (String known : nodes.keySet()) {
            keys.add(NODE + known);
            watchNode(known, BigInteger.ZERO);   // no-op for nodes already watched
        }
        watch.retain(keys);
        deliver(changes);
    }

    private void applyNode(String name, CatalogNode services, long asOf) {
        List<Instance> found = new ArrayList<>();
        if (services != null && services.getServices() != null) {
            services.getServices().values().forEach(service ->
                    ServiceInstances.fromConsul(name, service).ifPresent(found::add));
        }
        List<ExternalChange> changes;
        synchronized (lock) {
            changes = reconcile(mirror.replaceNode(name, found), asOf);
        }
        deliver(changes);
    }

    private List<ExternalChange> reconcile(Set<String> changed, long asOf) {
        Set<String> names = new HashSet<>(changed);
        names.addAll(cache.overdue(asOf));
        List<ExternalChange> changes = new ArrayList<>();
        for (String name : names) {
            Optional<Instance> visible = mirror.visible(name);
            cache.reconcile(name, visible.orElse(null), asOf).ifPresent(changes::add);
            Instance mine = own.get(name);
            if (mine != null && !cache.unconfirmed(name) && !visible.map(Instance::id).orElse("").equals(mine.id())) {
                own.remove(name);   // replaced by someone else's, or expired
            }
        }
        return changes;
    }

    private void deliver(List<ExternalChange> changes) {
        for (ExternalChange change : changes) {
            for (Consumer<ExternalChange> listener : listeners) {
                try {
                    listener.accept(change);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a listener for changes in consul failed", e);
                }
            }
        }
    }

    /** Checks per node: the node passes while its own checks do; an instance fails with any of its checks. */
    private static Map<String, CatalogMirror.Health> health(List<HealthCheck> checks) {
        Map<String, Boolean> nodePassing = new HashMap<>();
        Map<String, Set<String>> failing = new HashMap<>();
        for (HealthCheck check : checks) {
            boolean passing = "passing".equals(check.getStatus());
            String service = check.getServiceId().orElse("");
            nodePassing.merge(check.getNode(), service.isEmpty() ? passing : true, Boolean::logicalAnd);
            Set<String> failed = failing.computeIfAbsent(check.getNode(), n -> new HashSet<>());
            if (!service.isEmpty() && !passing) {
                failed.add(service);
            }
        }
        Map<String, CatalogMirror.Health> health = new HashMap<>();
        nodePassing.forEach((name, passing) -> health.put(name, new CatalogMirror.Health(passing, Set.copyOf(failing.get(name)))));
        return health;
    }
}
