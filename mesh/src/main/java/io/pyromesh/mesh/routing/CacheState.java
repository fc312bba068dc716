package io.pyromesh.mesh.routing;

import java.time.Duration;

/**
 * What a router's registration cache knows of the name server right now.
 *
 * @param nameServer where the registrations come from, e.g. {@code localhost:9090} (empty before it was found)
 * @param state {@code LIVE}: watching, everything up to {@code revision} applied and changes arriving as
 *     they happen; {@code SYNCING}: (re)connected, catching up; {@code STALE}: the watch is down and the
 *     cache serves what it last knew; {@code EMPTY}: it never caught up
 * @param revision the name server's revision the cache is at
 * @param historyId the name server's history (one per run of it)
 * @param registrations how many registrations it holds
 * @param age how long ago the cache was last known to be current: zero while LIVE, else the time since
 *     the watch was lost (or, when EMPTY, since the router started)
 * @param lastChange how long ago a change from the name server was last applied (null: none yet)
 * @param problem why the watch is not live, or the empty string
 */
public record CacheState(String nameServer, String state, long revision, String historyId, int registrations,
        Duration age, Duration lastChange, String problem) {

    /** One line for people, e.g. {@code live at revision 42 of history 3f2a..., 12 registrations, last change 1.3 s ago}. */
    public String describe() {
        StringBuilder line = new StringBuilder(state.toLowerCase(java.util.Locale.ROOT));
        if (!state.equals("LIVE")) {
            line.append(" for ").append(seconds(age));
        }
        line.append(" at revision ").append(revision);
        if (!historyId.isEmpty()) {
            line.append(" of history ").append(historyId);
        }
        line.append(", ").append(registrations).append(registrations == 1 ? " registration" : " registrations");
        if (lastChange != null) {
            line.append(", last change ").append(seconds(lastChange)).append(" ago");
        }
        if (!problem.isEmpty()) {
            line.append(" (").append(problem).append(')');
        }
        return line.toString();
    }

    static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toNanos() / 1e9);
    }
}
