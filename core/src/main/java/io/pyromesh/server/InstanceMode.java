package io.pyromesh.server;

/** How a daemon creates instances of a class registered with {@link Daemon#register(Class)}. */
public enum InstanceMode {
    /** One instance for the whole daemon, created on first use; called concurrently. */
    SINGLE,
    /**
     * One instance per client session (per proxy, or per connection for clients that send no session
     * id), dropped when the proxy closes or after {@code SESSION_TIMEOUT} idle. The default, as in Pyro.
     */
    SESSION,
    /** A new instance for every call. */
    PERCALL
}
