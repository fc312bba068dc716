package io.pyromesh.nameserver.consul;

import io.pyromesh.nameserver.store.MemoryStore;
import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.nameserver.store.Store.ExternalChange;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The registrations reads answer with: an indexed {@link MemoryStore} that the store's own writes go
 * through at once and Consul's answers correct. An own write is remembered until Consul shows it; until
 * then an answer that shows the older state does not undo it, unless the answer shows Consul more than
 * {@link #GRACE} after the write (the agent syncs a write to the servers within milliseconds), or shows an
 * instance registered after the write: then someone else's later write won, and Consul's state is taken.
 * A difference from the view that no own write explains is an {@link ExternalChange}. Not thread-safe: the
 * store guards it.
 */
final class WriteThroughCache {
    static final Duration GRACE = Duration.ofSeconds(2);

    private final MemoryStore view = new MemoryStore();
    private final Map<String, Written> unconfirmed = new HashMap<>();
    private final LongSupplier nanoTime;

    /**
     * @param instanceId the instance the write made or updated, null for a removal
     * @param at when it was made, by the writer's clock (the one that stamps {@code pyro-registered})
     * @param done when it returned, in {@link System#nanoTime()} terms
     */
    private record Written(Registration registration, String instanceId, Instant at, long done) {
        boolean shownBy(Instance visible) {
            return visible == null ? registration == null
                    : visible.id().equals(instanceId) && visible.registration().equals(registration);
        }

        boolean supersededBy(Instance visible) {
            return visible != null && !visible.id().equals(instanceId) && !visible.registered().isBefore(at);
        }
    }

    WriteThroughCache(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** What reads answer with. Only {@link #written} and {@link #reconcile} may change it. */
    MemoryStore view() {
        return view;
    }

    /** An own write that made or updated {@code instance} at {@code at}. */
    void written(Instance instance, Instant at) {
        remember(instance.name(), instance.registration(), instance.id(), at);
    }

    /** An own removal of {@code name} at {@code at}. */
    void removed(String name, Instant at) {
        remember(name, null, null, at);
    }

    private void remember(String name, Registration registration, String instanceId, Instant at) {
        apply(name, registration);
        unconfirmed.put(name, new Written(registration, instanceId, at, nanoTime.getAsLong()));
    }

    /** Whether an own write to {@code name} has not shown up in Consul's answers yet. */
    boolean unconfirmed(String name) {
        return unconfirmed.containsKey(name);
    }

    /** Names with an own write that an answer showing Consul as of {@code asOf} should show, were it still so. */
    Set<String> overdue(long asOf) {
        Set<String> overdue = new HashSet<>();
        unconfirmed.forEach((name, written) -> {
            if (asOf - written.done() > GRACE.toNanos()) {
                overdue.add(name);
            }
        });
        return overdue;
    }

    /**
     * Takes the instance an answer showing Consul as of {@code asOf} ({@link System#nanoTime()}) has for
     * {@code name} (null: none visible); the change to report if the view had to change for a reason other
     * than an own write.
     */
    Optional<ExternalChange> reconcile(String name, Instance visible, long asOf) {
        Written written = unconfirmed.get(name);
        if (written != null) {
            if (written.shownBy(visible)) {
                unconfirmed.remove(name);
                return Optional.empty();
            }
            if (!written.supersededBy(visible) && asOf - written.done() <= GRACE.toNanos()) {
                return Optional.empty();   // the answer may predate the write
            }
            unconfirmed.remove(name);
        }
        Registration inConsul = visible == null ? null : visible.registration();
        if (Objects.equals(view.get(name).orElse(null), inConsul)) {
            return Optional.empty();
        }
        apply(name, inConsul);
        return Optional.of(new ExternalChange(name, inConsul));
    }

    private void apply(String name, Registration registration) {
        if (registration == null) {
            view.remove(name);
        } else {
            view.put(registration);
        }
    }
}
