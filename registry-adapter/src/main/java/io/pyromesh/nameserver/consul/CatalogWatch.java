package io.pyromesh.nameserver.consul;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.option.ConsistencyMode;
import org.kiwiproject.consul.option.QueryOptions;

/**
 * Consul blocking queries (index + wait), one thread each: each returns as soon as what it watches changes,
 * or after {@link #WAIT} (plus Consul's jitter of up to 1/16) with nothing new, and asks again no sooner
 * than {@link #MIN_INTERVAL} after its last question. Queries are {@code stale} reads: any Consul server
 * answers from its own copy, so reads go on while the servers elect a new leader; an answer is taken to be
 * as old as its {@code X-Consul-LastContact} says (the time since that server last heard from the leader).
 * It also knows how fresh
 * their answers are: the store is {@linkplain #problem() fresh} while every query has answered within
 * {@link #STALENESS_BOUND} and none is failing. A failing query retries with backoff (0.25 s doubling to
 * 2 s) and starts again from a full answer.
 */
final class CatalogWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(CatalogWatch.class.getName());
    static final Duration WAIT = Duration.ofSeconds(5);
    /** Longer than a blocking query can take when Consul is well (its wait, the jitter, a round trip). */
    static final Duration STALENESS_BOUND = WAIT.plusSeconds(4);
    /**
     * The least time between two queries of one watch: changes that come faster are taken together, so a
     * burst of registrations costs a few answers rather than one each (every answer lists a whole node).
     */
    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final String address;
    private final LongSupplier nanoTime;
    private final Map<String, Query<?>> queries = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    CatalogWatch(String address, LongSupplier nanoTime) {
        this.address = address;
        this.nanoTime = nanoTime;
    }

    /** Where a query's answers go. */
    @FunctionalInterface
    interface Answers<T> {
        /**
         * @param answer what Consul answered
         * @param asOf when Consul was as the answer shows it ({@link System#nanoTime()}): its arrival, less
         *     the answering server's time since it last heard from the leader
         */
        void take(T answer, long asOf);
    }

    /**
     * Starts a query named {@code key} (unless one runs) at {@code index}, the index of an answer already
     * taken (0 for none), feeding every answer to {@code apply}, also those that found nothing new.
     */
    <T> void start(String key, BigInteger index, Function<QueryOptions, ConsulResponse<T>> query, Answers<T> apply) {
        if (closed.get()) {
            return;
        }
        Query<T> started = new Query<>(key, index, query, apply);
        if (queries.putIfAbsent(key, started) == null) {
            Thread thread = new Thread(started, "consul-watch " + key);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops the queries whose key is not in {@code keep}. */
    void retain(Set<String> keep) {
        queries.values().removeIf(query -> {
            boolean drop = !keep.contains(query.key);
            if (drop) {
                query.stopped.set(true);
            }
            return drop;
        });
    }

    /** Why answers from Consul cannot be trusted now, or null while every query is fresh. */
    String problem() {
        if (closed.get()) {
            return "the store is closed";
        }
        long now = nanoTime.getAsLong();
        for (Query<?> query : queries.values()) {
            String failure = query.failure;
            if (failure != null) {
                return "consul at " + address + " is unavailable: " + failure;
            }
            if (now - query.lastAnswer > STALENESS_BOUND.toNanos()) {
                return "consul at " + address + " has not answered for "
                        + Duration.ofNanos(now - query.lastAnswer).toSeconds() + " s";
            }
        }
        return null;
    }

    @Override
    public void close() {
        closed.set(true);
        queries.values().forEach(query -> query.stopped.set(true));
        queries.clear();
    }

    private final class Query<T> implements Runnable {
        final String key;
        final AtomicBoolean stopped = new AtomicBoolean();
        private final Function<QueryOptions, ConsulResponse<T>> query;
        private final Answers<T> apply;
        private BigInteger index;
        volatile long lastAnswer = nanoTime.getAsLong();
        volatile String failure;

        Query(String key, BigInteger index, Function<QueryOptions, ConsulResponse<T>> query, Answers<T> apply) {
            this.key = key;
            this.index = index;
            this.query = query;
            this.apply = apply;
        }

        @Override
        public void run() {
            Duration backoff = Duration.ofMillis(250);
            while (!stopped.get()) {
                long asked = nanoTime.getAsLong();
                try {
                    ConsulResponse<T> answer = query.apply(QueryOptions.blockSeconds((int) WAIT.toSeconds(), index)
                            .consistencyMode(ConsistencyMode.STALE).build());
                    if (stopped.get()) {
                        return;
                    }
                    long asOf = nanoTime.getAsLong() - TimeUnit.MILLISECONDS.toNanos(answer.getLastContact());
                    lastAnswer = asOf;
                    if (failure != null) {
                        LOG.info("consul at " + address + " answers again (" + key + ")");
                    }
                    failure = null;
                    BigInteger next = answer.getIndex();
                    // an index that goes backwards (a restarted Consul) or is 0 means start over
                    index = next.signum() <= 0 || next.compareTo(index) < 0 ? BigInteger.ZERO : next;
                    apply.take(answer.getResponse(), asOf);
                    backoff = Duration.ofMillis(250);
                    sleep(MIN_INTERVAL.minusNanos(nanoTime.getAsLong() - asked));
                } catch (RuntimeException e) {
                    if (stopped.get()) {
                        return;
                    }
                    String reason = ConsulConnection.reason(e);
                    if (failure == null) {
                        LOG.warning("consul at " + address + " does not answer (" + key + "): " + reason + "; retrying");
                    }
                    failure = reason;
                    index = BigInteger.ZERO;
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
        }

        private void sleep(Duration pause) {
            if (pause.isNegative() || pause.isZero()) {
                return;
            }
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                stopped.set(true);
                Thread.currentThread().interrupt();
            }
        }
    }
}
