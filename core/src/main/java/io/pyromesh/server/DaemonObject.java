package io.pyromesh.server;

import io.pyromesh.context.CallContext;
import io.pyromesh.proto.v1.ObjectMetadata;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The object every daemon serves as {@code Pyro.Daemon}: it answers pings and describes the daemon and
 * its objects. Method names follow Pyro's, so Pyro-minded clients find what they expect.
 */
@Expose
final class DaemonObject {
    private final Daemon daemon;

    DaemonObject(Daemon daemon) {
        this.daemon = daemon;
    }

    /** Does nothing: a round trip that proves the daemon answers. */
    public void ping() {
        // the answer is the point
    }

    /** The ids of all registered objects, {@code Pyro.Daemon} included. */
    public List<String> registered() {
        return List.copyOf(daemon.registered());
    }

    /** A one-line description of the daemon. */
    public String info() {
        return daemon.info();
    }

    /** What an object exposes: {@code methods}, {@code oneway}, {@code attrs} and {@code streaming}. */
    public Map<String, Set<String>> get_metadata(String objectId) {
        ObjectMetadata metadata = daemon.registration(objectId).exposed.metadata;
        Map<String, Set<String>> described = new LinkedHashMap<>();
        described.put("methods", new LinkedHashSet<>(metadata.getMethodsList()));
        described.put("oneway", new LinkedHashSet<>(metadata.getOnewayList()));
        described.put("attrs", new LinkedHashSet<>(metadata.getAttrsList()));
        described.put("streaming", new LinkedHashSet<>(metadata.getStreamingList()));
        return described;
    }

    /** Ends the caller's session: the daemon drops the SESSION-mode instances it made for it. */
    public void close_session() {
        daemon.closeSession(CallContext.current().sessionId());
    }
}
