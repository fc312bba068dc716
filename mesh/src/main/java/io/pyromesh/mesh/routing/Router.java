package io.pyromesh.mesh.routing;

import io.grpc.Status;
import io.pyromesh.config.PyroConfig;
import io.pyromesh.errors.CommunicationError;
import io.pyromesh.errors.NamingError;
import io.pyromesh.errors.PyroError;
import io.pyromesh.internal.NameServerLocator;
import io.pyromesh.internal.PythonRepr;
import io.pyromesh.mesh.HopException;
import io.pyromesh.mesh.Target;
import io.pyromesh.mesh.operations.MeshMetrics;
import io.pyromesh.uri.PyroURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns URIs into {@link Target}s, for the gateway and for a sidecar's outbound calls: {@code PYRO:}
 * URIs go where they say; {@code PYRONAME:} and {@code PYROMETA:} URIs are resolved in a cache of the
 * name server's registrations that the name server's {@code Watch} keeps current (no lookup per call),
 * and a call over several candidates (the replicas a PYROMETA query finds) picks one per call by the
 * {@link Balancing} rule, passing over candidates set aside after failing.
 *
 * <pre>{@code
 * try (ChannelPool channels = new ChannelPool(config);
 *         Router router = Router.builder(config).channels(channels).start()) {
 *     router.awaitCurrent(Duration.ofSeconds(10));
 *     Target target = router.route(PyroURI.parse("PYROMETA:shop.replica"));
 * }
 * }</pre>
 *
 * <p>A target that answers UNAVAILABLE or NOT_FOUND is set aside (1 s, doubling up to 30 s) until a call
 * to it succeeds or its registration is put anew; when every candidate is set aside, one is tried
 * anyway. A call whose request never reached its target (connection refused) is sent to another
 * candidate, if there is one left; a call that reached it is never sent twice. Resolving never blocks:
 * before the cache has first caught up with the name server, names resolve to UNAVAILABLE; when the
 * watch is lost, the cache serves what it last knew while the watch reconnects.
 *
 * <p>One router follows one name server: a {@code PYRONAME:x@host:port} URI naming another one is refused.
 */
public final class Router implements AutoCloseable {
    private final ChannelPool channels;
    private final boolean ownChannels;
    private final MeshMetrics metrics;
    private final Balancing balancing;
    private final String configuredNameServer;
    private final RegistrationCache cache;
    private final NameWatch watch;
    private final Map<PyroURI, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final AtomicLong turn = new AtomicLong();

    private Router(Builder builder) {
        this.ownChannels = builder.channels == null;
        this.channels = ownChannels ? new ChannelPool(builder.config) : builder.channels;
        this.metrics = builder.metrics;
        this.balancing = builder.balancing;
        PyroConfig config = builder.config;
        String host = builder.nameServerHost;
        int port = builder.nameServerPort;
        this.configuredNameServer = host == null ? "" : PyroURI.direct(PyroURI.NAMESERVER_NAME, host, port == 0 ? config.nsPort() : port).location();
        this.cache = new RegistrationCache(entry -> {
            Endpoint endpoint = endpoints.get(entry.uri());
            if (endpoint != null) {
                endpoint.reinstated();
            }
        });
        this.watch = new NameWatch(() -> NameServerLocator.locate(host, port, config), channels, cache);
        watch.start();
    }

    /** A router with {@code config}'s TLS settings and message size for its channels. */
    public static Builder builder(PyroConfig config) {
        return new Builder(config);
    }

    /** Waits until the cache has caught up with the name server once; false if it has not within {@code timeout}. */
    public boolean awaitCurrent(Duration timeout) throws InterruptedException {
        try {
            watch.firstCurrent().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException notYet) {
            return false;
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Runs {@code action} (on the watch's thread) once the cache has first caught up with the name server. */
    public void whenCurrent(Runnable action) {
        watch.firstCurrent().thenRun(action);
    }

    /** The cache's state now. */
    public CacheState cacheState() {
        return cache.describe(nameServer());
    }

    private String nameServer() {
        String found = watch.nameServer();
        return found.isEmpty() ? configuredNameServer : found;
    }

    /**
     * The registrations a URI may resolve to, sorted by name: the URI itself for PYRO; the registration of
     * the name for PYRONAME; every registration holding all the tags for PYROMETA.
     *
     * @throws NamingError (NOT_FOUND) for an unknown name or no registration with the tags
     * @throws CommunicationError (UNAVAILABLE) before the cache has first caught up with the name server
     * @throws HopException (INVALID_ARGUMENT) for a URI naming another name server
     */
    public List<Candidate> candidates(PyroURI uri) {
        if (uri.protocol() == PyroURI.Protocol.PYRO) {
            return List.of(new Candidate(null, uri, Set.of()));
        }
        long started = System.nanoTime();
        String outcome = "found";
        try {
            checkNameServer(uri);
            if (!cache.everCurrent()) {
                CacheState state = cacheState();
                throw new CommunicationError("no registrations known yet: " + (state.problem().isEmpty()
                        ? "waiting for the name server's registrations" : state.problem()));
            }
            List<Candidate> found = uri.protocol() == PyroURI.Protocol.PYRONAME ? byName(uri) : byTags(uri);
            if (metrics != null) {
                metrics.cacheLookup(true);
            }
            return found;
        } catch (NamingError unknown) {
            outcome = "not_found";
            if (metrics != null) {
                metrics.cacheLookup(false);
            }
            throw unknown;
        } catch (PyroError | HopException failed) {
            outcome = "failed";
            throw failed;
        } finally {
            if (metrics != null) {
                metrics.resolved(uri.protocol().name(), outcome, System.nanoTime() - started);
            }
        }
    }

    private List<Candidate> byName(PyroURI uri) {
        RegistrationCache.Entry entry = cache.lookup(uri.object());
        if (entry == null) {
            throw new NamingError("unknown name: " + abbreviate(uri.object()));
        }
        return List.of(candidateOf(entry));
    }

    private List<Candidate> byTags(PyroURI uri) {
        List<RegistrationCache.Entry> entries = cache.withAll(uri.metaTags());
        if (entries.isEmpty()) {
            throw new NamingError("no registrations available with desired metadata properties " + PythonRepr.of(uri.metaTags()));
        }
        return entries.stream().map(Router::candidateOf).toList();
    }

    private static Candidate candidateOf(RegistrationCache.Entry entry) {
        return new Candidate(entry.name(), entry.uri(), entry.metadata());
    }

    private void checkNameServer(PyroURI uri) {
        if (uri.host() == null && !uri.isUnixSocket()) {
            return;
        }
        String named = uri.location();
        String ours = nameServer();
        if (!named.equalsIgnoreCase(ours) && !named.equalsIgnoreCase(configuredNameServer)) {
            throw new HopException(Status.Code.INVALID_ARGUMENT, new NamingError("names are resolved through the name server at "
                    + (ours.isEmpty() ? "(not found yet)" : ours) + " only, not " + abbreviate(named)));
        }
    }

    /** The names registered for exactly this PYRO URI (none if it is not registered). */
    public Set<String> namesOf(PyroURI uri) {
        return cache.namesOf(uri);
    }

    /** {@link #pick} among the {@link #candidates} of {@code uri}. */
    public Target route(PyroURI uri) {
        return pick(candidates(uri));
    }

    /**
     * A target among {@code candidates} (as {@link #candidates} gave them, perhaps filtered), chosen by the
     * balancing rule; it fails over to the others.
     *
     * @throws NamingError for no candidates
     */
    public Target pick(List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            throw new NamingError("no candidates to call");
        }
        List<Endpoint> options = candidates.stream().map(candidate -> endpoint(candidate.uri())).toList();
        Endpoint chosen = choose(options, List.of());
        return new RoutedTarget(this, candidates, options, chosen, List.of());
    }

    Endpoint endpoint(PyroURI uri) {
        Endpoint endpoint = endpoints.get(uri);
        if (endpoint != null) {
            return endpoint;
        }
        if (endpoints.size() >= ChannelPool.LIMIT) {
            endpoints.values().removeIf(idle -> idle.inFlight.get() == 0 && cache.namesOf(idle.uri).isEmpty());
        }
        return endpoints.computeIfAbsent(uri, Endpoint::new);
    }

    /** The endpoint a call goes to among {@code options}, not one of {@code tried}; null if none is left. */
    Endpoint choose(List<Endpoint> options, List<Endpoint> tried) {
        long now = System.nanoTime();
        List<Endpoint> left = new ArrayList<>(options.size());
        List<Endpoint> healthy = new ArrayList<>(options.size());
        for (Endpoint option : options) {
            if (!tried.contains(option)) {
                left.add(option);
                if (!option.ejected(now)) {
                    healthy.add(option);
                }
            }
        }
        if (left.isEmpty()) {
            return null;
        }
        if (healthy.isEmpty()) {
            // all set aside: try the one whose time out is up first rather than fail without trying
            return left.stream().min(java.util.Comparator.comparingLong(Endpoint::ejectedUntil)).orElseThrow();
        }
        if (healthy.size() == 1) {
            return healthy.get(0);
        }
        if (balancing == Balancing.ROUND_ROBIN) {
            return healthy.get((int) Math.floorMod(turn.getAndIncrement(), (long) healthy.size()));
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int first = random.nextInt(healthy.size());
        int second = random.nextInt(healthy.size() - 1);
        if (second >= first) {
            second++;
        }
        Endpoint a = healthy.get(first);
        Endpoint b = healthy.get(second);
        return b.inFlight.get() < a.inFlight.get() ? b : a;
    }

    ChannelPool channels() {
        return channels;
    }

    MeshMetrics metrics() {
        return metrics;
    }

    /** What {@code uri} resolves to, and why; never throws for a URI that resolves to nothing. */
    public Explanation explain(PyroURI uri) {
        return explain(uri, this::candidates);
    }

    /**
     * As {@link #explain(PyroURI)}, with the candidates {@code resolver} gives (e.g. {@link #candidates}
     * narrowed to what a gateway lets callers reach).
     */
    public Explanation explain(PyroURI uri, java.util.function.Function<PyroURI, List<Candidate>> resolver) {
        CacheState state = cacheState();
        List<Candidate> candidates;
        try {
            candidates = resolver.apply(uri);
        } catch (PyroError | HopException failed) {
            return new Explanation(uri.toString(), List.of(), null, balancing.description(), state, failed.getMessage());
        }
        long now = System.nanoTime();
        List<Explanation.Option> options = new ArrayList<>();
        List<Endpoint> endpointsOfCandidates = new ArrayList<>();
        for (Candidate candidate : candidates) {
            Endpoint endpoint = endpoint(candidate.uri());
            endpointsOfCandidates.add(endpoint);
            RegistrationCache.Entry entry = candidate.name() == null ? null : cache.lookup(candidate.name());
            options.add(new Explanation.Option(candidate.name(), candidate.uri().toString(), candidate.metadata(),
                    endpoint.inFlight.get(), endpoint.ejectedFor(now), endpoint.ejectedBecause(),
                    entry == null ? null : cache.ageOf(entry)));
        }
        Endpoint chosen = choose(endpointsOfCandidates, List.of());
        Explanation.Option pick = chosen == null ? null : options.get(endpointsOfCandidates.indexOf(chosen));
        return new Explanation(uri.toString(), options, pick, balancing.description(), state, "");
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    /** Stops the watch (and closes the channels, unless they were given). */
    @Override
    public void close() {
        watch.close();
        if (ownChannels) {
            channels.close();
        }
    }

    /** Options of a router; anything not set comes from the {@link PyroConfig}. */
    public static final class Builder {
        private final PyroConfig config;
        private String nameServerHost;
        private int nameServerPort;
        private ChannelPool channels;
        private MeshMetrics metrics;
        private Balancing balancing = Balancing.LEAST_IN_FLIGHT_OF_TWO;

        private Builder(PyroConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * Follow the name server at this host and port (0: {@code NS_PORT}); by default it is found as
         * {@code Pyro.locateNS()} finds it (configuration, then discovery), afresh at every reconnect.
         */
        public Builder nameServer(String host, int port) {
            this.nameServerHost = Objects.requireNonNull(host, "host");
            this.nameServerPort = port;
            return this;
        }

        /** Share these channels (e.g. with the hop's other routes); by default the router has its own. */
        public Builder channels(ChannelPool channels) {
            this.channels = channels;
            return this;
        }

        public Builder metrics(MeshMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        public Builder balancing(Balancing balancing) {
            this.balancing = Objects.requireNonNull(balancing, "balancing");
            return this;
        }

        /** Starts following the name server (in the background: this does not wait for it). */
        public Router start() {
            return new Router(this);
        }
    }
}
