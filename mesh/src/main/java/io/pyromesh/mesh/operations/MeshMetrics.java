package io.pyromesh.mesh.operations;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hop's metrics, in Prometheus' text format on the admin port ({@link AdminServer}'s
 * {@code /metrics}). Every series carries the tag {@code hop} (gateway, sidecar). The series:
 *
 * <table>
 *   <caption>metrics</caption>
 *   <tr><td>{@code pyromesh_calls_seconds} (histogram)</td><td>forwarded calls by {@code rpc}, {@code object},
 *       {@code method}, {@code status} and {@code origin} ({@code target}: the status came from where the call went;
 *       {@code hop}: this hop raised it)</td></tr>
 *   <tr><td>{@code pyromesh_call_errors_total}</td><td>failed calls by {@code status} and {@code origin}</td></tr>
 *   <tr><td>{@code pyromesh_calls_in_flight}, {@code pyromesh_streams_open}</td><td>calls being forwarded now;
 *       of them, InvokeStream calls</td></tr>
 *   <tr><td>{@code pyromesh_resolution_seconds} (histogram)</td><td>URI resolutions by {@code protocol} and
 *       {@code outcome}</td></tr>
 *   <tr><td>{@code pyromesh_cache_lookups_total}</td><td>name lookups in the watched cache by {@code result}
 *       ({@code hit}, {@code miss})</td></tr>
 *   <tr><td>{@code pyromesh_failovers_total}, {@code pyromesh_target_ejections_total}</td><td>calls sent to another
 *       replica because theirs was unreachable; replicas set aside after a failure</td></tr>
 * </table>
 *
 * <p>Object and method names come from callers, so the number of distinct (object, method) series is
 * bounded ({@value #SERIES_LIMIT}); later ones are counted under {@code (other)}.
 */
public final class MeshMetrics {
    static final int SERIES_LIMIT = 1000;
    private static final String OTHER = "(other)";
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
        Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<CallSeries, Timer> calls = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Timer> resolutions = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final Counter cacheHits;
    private final Counter cacheMisses;
    private final Counter failovers;
    private final Counter ejections;

    /** Metrics of a hop of this kind, e.g. {@code "gateway"}. */
    public MeshMetrics(String hop) {
        registry.config().commonTags("hop", hop);
        Gauge.builder("pyromesh.calls.in.flight", inFlight, AtomicInteger::get)
                .description("calls being forwarded now").register(registry);
        Gauge.builder("pyromesh.streams.open", openStreams, AtomicInteger::get)
                .description("InvokeStream calls being forwarded now").register(registry);
        cacheHits = Counter.builder("pyromesh.cache.lookups").tag("result", "hit")
                .description("name lookups answered by the watched cache").register(registry);
        cacheMisses = Counter.builder("pyromesh.cache.lookups").tag("result", "miss")
                .description("name lookups answered by the watched cache").register(registry);
        failovers = Counter.builder("pyromesh.failovers")
                .description("calls sent to another replica because theirs could not be reached").register(registry);
        ejections = Counter.builder("pyromesh.target.ejections")
                .description("replicas set aside after a failure").register(registry);
    }

    /** The registry, for a hop's own meters (e.g. a sidecar's attached apps). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Every metric in Prometheus' text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** A call begins; finish it exactly once. */
    public Call callStarted(boolean stream) {
        inFlight.incrementAndGet();
        if (stream) {
            openStreams.incrementAndGet();
        }
        return new Call(stream, System.nanoTime());
    }

    /** A URI was resolved (or failed to be) in {@code nanos}. */
    public void resolved(String protocol, String outcome, long nanos) {
        resolutions.computeIfAbsent(protocol + "\0" + outcome, key -> Timer.builder("pyromesh.resolution")
                        .description("URI resolutions")
                        .tag("protocol", protocol).tag("outcome", outcome)
                        .serviceLevelObjectives(BUCKETS)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void cacheLookup(boolean hit) {
        (hit ? cacheHits : cacheMisses).increment();
    }

    public void failedOver() {
        failovers.increment();
    }

    public void ejected() {
        ejections.increment();
    }

    private record CallSeries(String rpc, String object, String method, Status.Code code, boolean byHop) {}

    private Timer timer(CallSeries series) {
        Timer timer = calls.get(series);
        if (timer != null) {
            return timer;
        }
        CallSeries bounded = calls.size() < SERIES_LIMIT
                ? series : new CallSeries(series.rpc, OTHER, OTHER, series.code, series.byHop);
        return calls.computeIfAbsent(bounded, key -> Timer.builder("pyromesh.calls")
                .description("forwarded calls")
                .tag("rpc", key.rpc).tag("object", key.object).tag("method", key.method)
                .tag("status", key.code.name()).tag("origin", key.byHop ? "hop" : "target")
                .serviceLevelObjectives(BUCKETS)
                .register(registry));
    }

    /** One call being forwarded. */
    public final class Call {
        private final boolean stream;
        private final long started;
        private boolean finished;

        private Call(boolean stream, long started) {
            this.stream = stream;
            this.started = started;
        }

        /**
         * The call ended with {@code code}, raised by this hop ({@code byHop}) or by its target; a second
         * call is ignored.
         */
        public synchronized void finished(String rpc, String object, String method, Status.Code code, boolean byHop) {
            if (finished) {
                return;
            }
            finished = true;
            inFlight.decrementAndGet();
            if (stream) {
                openStreams.decrementAndGet();
            }
            timer(new CallSeries(rpc, object, method, code, byHop)).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            if (code != Status.Code.OK) {
                String origin = byHop ? "hop" : "target";
                errors.computeIfAbsent(code.name() + "\0" + origin, key -> Counter.builder("pyromesh.call.errors")
                        .description("failed calls").tag("status", code.name()).tag("origin", origin)
                        .register(registry)).increment();
            }
        }
    }
}
