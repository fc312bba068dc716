package io.pyromesh.values;

import io.pyromesh.errors.SerializeError;
import io.pyromesh.proto.v1.ProxyRef;

/**
 * How a {@link ValueCodec} turns objects into references to remote objects and back: Pyro's
 * autoproxy. The client and server packages implement it; the codec only asks.
 *
 * <p>Implementations must be thread-safe: one codec serves concurrent calls.
 */
public interface RemoteReferences {
    /** No proxy support: nothing is sent as a reference, and a received reference is refused. */
    RemoteReferences NONE = new RemoteReferences() {
        @Override
        public ProxyRef toRef(Object o) {
            return null;
        }

        @Override
        public Object fromRef(ProxyRef ref, Class<?> type) {
            throw new SerializeError("cannot decode a proxy reference here: no proxy support configured");
        }

        @Override
        public String toString() {
            return "RemoteReferences.NONE";
        }
    };

    /**
     * The reference to send in place of {@code o}, or {@code null} to serialize {@code o} by value.
     * A reference is returned for a proxy, and for an object the local daemon has registered (so the
     * receiver calls it remotely instead of getting a copy). Asked for every object that is not one
     * of the codec's built-in value types, so it should be quick to say no.
     */
    ProxyRef toRef(Object o);

    /**
     * A proxy for the referenced object, implementing {@code type}: an interface, or
     * {@code Object.class} when the receiver asked for no particular type.
     *
     * @throws io.pyromesh.errors.PyroError when no proxy can be made, e.g. {@link SerializeError}
     */
    Object fromRef(ProxyRef ref, Class<?> type);
}
