package io.pyromesh.sidecar;

import io.grpc.Status;
import io.pyromesh.errors.DaemonError;
import io.pyromesh.errors.NamingError;
import io.pyromesh.proto.v1.AttachedObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which attached app serves which object id and holds which name. Routing reads are lock-free; changes
 * are checked against every app's ids and names and applied as a whole, under one lock. Ids whose app
 * has gone are remembered for a while (bounded), so that a call for one is told the app has gone rather
 * than that the id never existed.
 */
final class AttachedApps {
    static final int MAX_APPS = 1_000;
    private static final int REMEMBERED_DEPARTURES = 10_000;
    private static final Duration REMEMBER_DEPARTURES_FOR = Duration.ofMinutes(10);

    /** What a change did to the names, for the name server. */
    record NameChanges(List<AttachedObject> registered, List<String> unregistered) {}

    /** An app that was attached and is not any more. */
    record Departure(String app, long endedNanos) {}

    private final Map<String, AttachedApp> byId = new ConcurrentHashMap<>();
    private final Map<String, AttachedApp> byName = new HashMap<>();
    private final Map<AttachedApp, Map<String, AttachedObject>> objects = new HashMap<>();
    private final Map<String, Departure> departed = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Departure> eldest) {
            return size() > REMEMBERED_DEPARTURES;
        }
    };

    /** Claims the ids and names of a new app; refused, with nothing claimed, if another app has one. */
    synchronized NameChanges attach(AttachedApp app, List<AttachedObject> announced) {
        if (objects.size() >= MAX_APPS) {
            throw new Refusal(Status.Code.RESOURCE_EXHAUSTED, new DaemonError("this sidecar has " + MAX_APPS + " apps attached, its limit"));
        }
        objects.put(app, new LinkedHashMap<>());
        try {
            return update(app, announced, List.of());
        } catch (Refusal refused) {
            objects.remove(app);
            throw refused;
        }
    }

    /**
     * Puts and removes objects of an attached app, as a whole or (refused) not at all. An object put
     * again with another name gives up its old name.
     */
    synchronized NameChanges update(AttachedApp app, List<AttachedObject> put, Collection<String> remove) {
        Map<String, AttachedObject> own = objects.get(app);
        if (own == null) {
            throw new Refusal(Status.Code.FAILED_PRECONDITION, new DaemonError("the lease has ended"));
        }
        checkClaims(app, own, put, remove);
        List<AttachedObject> registered = new ArrayList<>();
        List<String> unregistered = new ArrayList<>();
        // every name this change gives up is released before any is claimed, so that names may move
        for (String id : remove) {
            AttachedObject gone = own.remove(id);
            if (gone != null) {
                byId.remove(id);
                release(gone, unregistered);
            }
        }
        for (AttachedObject object : put) {
            AttachedObject before = own.get(object.getId());
            if (before != null && !before.getName().equals(object.getName())) {
                release(before, unregistered);
            }
        }
        for (AttachedObject object : put) {
            AttachedObject before = own.put(object.getId(), object);
            byId.put(object.getId(), app);
            if (!object.getName().isEmpty() && !object.equals(before)) {
                byName.put(object.getName(), app);
                unregistered.remove(object.getName());
                registered.add(object);
            }
        }
        return new NameChanges(registered, unregistered);
    }

    /** Refuses a change that would take an id or a name that another app, or another object, keeps. */
    private void checkClaims(AttachedApp app, Map<String, AttachedObject> own, List<AttachedObject> put, Collection<String> remove) {
        Map<String, String> keptNames = new HashMap<>();
        own.forEach((id, object) -> {
            if (!object.getName().isEmpty() && !remove.contains(id)) {
                keptNames.put(object.getName(), id);
            }
        });
        put.forEach(object -> keptNames.values().remove(object.getId()));
        for (AttachedObject object : put) {
            AttachedApp holder = byId.get(object.getId());
            if (holder != null && holder != app) {
                throw new Refusal(Status.Code.ALREADY_EXISTS, new DaemonError("the object id '"
                        + AttachRules.abbreviated(object.getId()) + "' is already attached by " + holder));
            }
            if (object.getName().isEmpty()) {
                continue;
            }
            AttachedApp nameHolder = byName.get(object.getName());
            if (nameHolder != null && nameHolder != app) {
                throw new Refusal(Status.Code.ALREADY_EXISTS, new NamingError("the name '"
                        + AttachRules.abbreviated(object.getName()) + "' is already held by " + nameHolder));
            }
            String keeper = keptNames.get(object.getName());
            if (keeper != null) {
                throw new Refusal(Status.Code.ALREADY_EXISTS, new NamingError("the name '"
                        + AttachRules.abbreviated(object.getName()) + "' is already held by object '" + keeper + "' of this app"));
            }
        }
    }

    private void release(AttachedObject object, List<String> unregistered) {
        if (!object.getName().isEmpty()) {
            byName.remove(object.getName());
            unregistered.add(object.getName());
        }
    }

    /** The objects of an attached app now, to {@link #restore} after a change that failed further on. */
    synchronized Map<String, AttachedObject> snapshot(AttachedApp app) {
        return Map.copyOf(objects.getOrDefault(app, Map.of()));
    }

    /**
     * Puts an app's objects back as they were in {@code snapshot}. An object whose id or name another app
     * claimed in the meantime stays that app's; those are left out, and returned.
     */
    synchronized List<AttachedObject> restore(AttachedApp app, Map<String, AttachedObject> snapshot) {
        Map<String, AttachedObject> own = objects.get(app);
        if (own == null) {
            return List.of();
        }
        own.values().forEach(object -> {
            byId.remove(object.getId(), app);
            byName.remove(object.getName(), app);
        });
        own.clear();
        List<AttachedObject> lost = new ArrayList<>();
        snapshot.forEach((id, object) -> {
            boolean idTaken = byId.containsKey(id);
            boolean nameTaken = !object.getName().isEmpty() && byName.containsKey(object.getName());
            if (idTaken || nameTaken) {
                lost.add(object);
                return;
            }
            own.put(id, object);
            byId.put(id, app);
            if (!object.getName().isEmpty()) {
                byName.put(object.getName(), app);
            }
        });
        return lost;
    }

    /** Forgets an app whose lease ended; returns the names it held. */
    synchronized List<String> detach(AttachedApp app) {
        Map<String, AttachedObject> own = objects.remove(app);
        if (own == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        long now = System.nanoTime();
        for (AttachedObject object : own.values()) {
            byId.remove(object.getId(), app);
            release(object, names);
            if (app.wasLive()) {
                departed.put(object.getId(), new Departure(app.toString(), now));
            }
        }
        return names;
    }

    /** The live app that serves {@code id}, or null. */
    AttachedApp route(String id) {
        AttachedApp app = byId.get(id);
        return app != null && app.isLive() ? app : null;
    }

    /** Whether {@code id}'s app went away lately (and none serves it now), or null. */
    synchronized Departure departure(String id) {
        Departure departure = departed.get(id);
        if (departure == null || System.nanoTime() - departure.endedNanos() > REMEMBER_DEPARTURES_FOR.toNanos()) {
            return null;
        }
        return byId.containsKey(id) ? null : departure;
    }

    synchronized Set<AttachedApp> apps() {
        return Set.copyOf(objects.keySet());
    }

    synchronized int appCount() {
        return objects.size();
    }

    int objectCount() {
        return byId.size();
    }
}
