package io.pyromesh.nameserver.consul;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Consul last said: the Pyro instances on each node, and the health of nodes and instances. A
 * registration is visible when its node's own checks and all of its instance's checks are passing (as
 * Consul's {@code ?passing} has it); of several visible instances of one name, the newest counts. The
 * updates return the names whose visible registration may have changed. Not thread-safe: the store
 * guards it.
 */
final class CatalogMirror {
    private final Map<String, Map<String, Instance>> byNode = new HashMap<>();
    private final Map<String, Map<String, Instance>> byName = new HashMap<>();
    private final Map<String, Health> health = new HashMap<>();

    /** A node's checks, reduced to what visibility needs. */
    record Health(boolean nodePassing, Set<String> failingInstances) {
        static final Health UNKNOWN = new Health(true, Set.of());

        boolean passing(String instanceId) {
            return nodePassing && !failingInstances.contains(instanceId);
        }
    }

    /** Replaces what is known of one node's instances. */
    Set<String> replaceNode(String node, Collection<Instance> instances) {
        Set<String> affected = new HashSet<>();
        Map<String, Instance> old = byNode.getOrDefault(node, Map.of());
        Map<String, Instance> fresh = new HashMap<>();
        for (Instance instance : instances) {
            fresh.put(instance.id(), instance);
        }
        for (Instance gone : old.values()) {
            if (!gone.equals(fresh.get(gone.id()))) {
                affected.add(gone.name());
                forget(gone);
            }
        }
        for (Instance instance : fresh.values()) {
            if (!instance.equals(old.get(instance.id()))) {
                affected.add(instance.name());
                byName.computeIfAbsent(instance.name(), name -> new HashMap<>()).put(instance.id(), instance);
            }
        }
        if (fresh.isEmpty()) {
            byNode.remove(node);
        } else {
            byNode.put(node, fresh);
        }
        return affected;
    }

    /** Replaces the health of every node; nodes left out have gone, and so have their instances. */
    Set<String> replaceHealth(Map<String, Health> nodes) {
        Set<String> affected = new HashSet<>();
        for (String node : new ArrayList<>(health.keySet())) {
            if (!nodes.containsKey(node)) {
                health.remove(node);
                affected.addAll(replaceNode(node, List.of()));
            }
        }
        nodes.forEach((node, now) -> {
            Health before = health.getOrDefault(node, Health.UNKNOWN);
            health.put(node, now);
            Map<String, Instance> instances = byNode.getOrDefault(node, Map.of());
            if (before.nodePassing() != now.nodePassing()) {
                instances.values().forEach(instance -> affected.add(instance.name()));
                return;
            }
            Set<String> flipped = new HashSet<>(before.failingInstances());
            flipped.addAll(now.failingInstances());
            flipped.removeIf(id -> before.failingInstances().contains(id) && now.failingInstances().contains(id));
            for (String id : flipped) {
                Instance instance = instances.get(id);
                if (instance != null) {
                    affected.add(instance.name());
                }
            }
        });
        return affected;
    }

    Set<String> nodes() {
        return Set.copyOf(health.keySet());
    }

    /** The instance a name's lookups answer with, if any. */
    Optional<Instance> visible(String name) {
        Instance newest = null;
        for (Instance instance : byName.getOrDefault(name, Map.of()).values()) {
            if (health.getOrDefault(instance.node(), Health.UNKNOWN).passing(instance.id())) {
                newest = newest == null ? instance : Instance.newer(newest, instance);
            }
        }
        return Optional.ofNullable(newest);
    }

    /** Every instance of a name, visible or not. */
    Collection<Instance> instances(String name) {
        return List.copyOf(byName.getOrDefault(name, Map.of()).values());
    }

    private void forget(Instance instance) {
        Map<String, Instance> same = byName.get(instance.name());
        if (same != null) {
            same.remove(instance.id());
            if (same.isEmpty()) {
                byName.remove(instance.name());
            }
        }
    }
}
