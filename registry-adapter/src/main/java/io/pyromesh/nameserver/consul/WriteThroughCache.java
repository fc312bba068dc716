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
 * through at once and Consul's answers correct. An own write is remembered until Consul shows it, or shows
 * an instance registered after it (someone else's later write, which then wins); an answer that shows an
 * older state does not undo it. A difference from the view that no own write explains is an
 * {@link ExternalChange}. If Consul still shows the older state {@link #SETTLE} after the write, Consul's
 * state is taken (a write through another agent that its agent undid, say). Not thread-safe: the store
 * guards it.
 */
final class WriteThroughCache {
    static final Duration SETTLE = Duration.ofSeconds(10);

    private final MemoryStore view = new MemoryStore();
    private final Map<String, Written> unconfirmed = new HashMap<>();
    private final LongSupplier nanoTime;

    /**
     * @param instanceId the instance the write made or updated, null for a removal
     * @param at when it was made, by the writer's clock (the one that stamps {@code pyro-registered})
     */
    private record Written(Registration registration, String instanceId, Instant at, long settledAt) {
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
        unconfirmed.put(name, new Written(registration, instanceId, at, nanoTime.getAsLong() + SETTLE.toNanos()));
    }

    /** Whether an own write to {@code name} has not shown up in Consul's answers yet. */
    boolean unconfirmed(String name) {
        return unconfirmed.containsKey(name);
    }

    /** Names whose own write Consul has still not shown {@link #SETTLE} after it was made. */
    Set<String> overdue() {
        long now = nanoTime.getAsLong();
        Set<String> overdue = new HashSet<>();
        unconfirmed.forEach((name, written) -> {
            if (now - written.settledAt() >= 0) {
                overdue.add(name);
            }
        });
        return overdue;
    }

    /**
     * Takes the instance Consul now shows for {@code name} (null: none visible); the change to report if
     * the view had to change for a reason other than an own write.
     */
    Optional<ExternalChange> reconcile(String name, Instance visible) {
        Written written = unconfirmed.get(name);
        if (written != null) {
            if (written.shownBy(visible)) {
                unconfirmed.remove(name);
                return Optional.empty();
            }
            if (!written.supersededBy(visible) && nanoTime.getAsLong() - written.settledAt() < 0) {
                return Optional.empty();   // Consul has not caught up with the write yet
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
