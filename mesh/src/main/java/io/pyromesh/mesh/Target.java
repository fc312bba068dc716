package io.pyromesh.mesh;

import io.grpc.Channel;
import io.grpc.Status;
import java.util.Objects;

/**
 * Where a {@link Route} sends one call: a channel, and the object id to ask for there (the
 * {@code object} field of the forwarded request is rewritten to it).
 *
 * <p>A target is told how each attempt ended ({@link #finished}); when an attempt failed before its
 * request was sent (connection refused, no connection to be had), the forwarder asks it for another
 * target ({@link #failover}), which is then tried instead. A call whose request went out is never
 * sent again, so a call never runs twice.
 */
public interface Target {
    /** The channel to send the call on; a hop keeps its channels (they are pooled, not made per call). */
    Channel channel();

    /** The object id to send, e.g. {@code "shop"} for {@code PYRO:shop@10.0.0.2:9100}. */
    String objectId();

    /** Where the call goes, for error messages and logs, e.g. {@code "PYRO:shop@10.0.0.2:9100"}. */
    String describe();

    /**
     * The attempt on this target ended with {@code status}. {@code delivered} is false only when the
     * request provably never left this hop (it was never written to a connection). Called once per
     * attempt, before {@link #failover}.
     */
    default void finished(Status status, boolean delivered) {}

    /**
     * Another target for a call whose request this one never received (status UNAVAILABLE, not
     * delivered), or null to fail the call. Called at most once per attempt.
     */
    default Target failover() {
        return null;
    }

    /** A fixed target without failover: e.g. a sidecar forwarding to the app that owns an object. */
    static Target of(Channel channel, String objectId, String description) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(objectId, "objectId");
        Objects.requireNonNull(description, "description");
        return new Target() {
            @Override
            public Channel channel() {
                return channel;
            }

            @Override
            public String objectId() {
                return objectId;
            }

            @Override
            public String describe() {
                return description;
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }
}
