package io.pyromesh.config;

/**
 * Pyro5 config items that mean nothing in Pyromesh. Setting one is an error rather than silently
 * ignored: whoever sets it expects an effect, and should learn why there is none.
 */
enum InapplicableItem {
    POLLTIMEOUT("gRPC servers are event-driven, so there is no select loop whose timeout could be tuned"),
    SOCK_REUSE("the gRPC transport creates and configures its own listening sockets"),
    SOCK_NODELAY("gRPC always sets TCP_NODELAY"),
    SERIALIZER("values always travel as protobuf Values, so there is no serializer to choose"),
    SERPENT_BYTES_REPR("there is no serpent serializer; bytes travel as protobuf bytes"),
    LOGWIRE("calls are gRPC requests, not Pyro wire messages; gRPC's own loggers can trace them"),
    DETAILED_TRACEBACK("Java stack frames carry no local variable values to report"),
    ITER_STREAM_LINGER("a gRPC stream ends with its call, so there is nothing to linger after a disconnect");

    private final String reason;

    InapplicableItem(String reason) {
        this.reason = reason;
    }

    /**
     * Throws if {@code item} (without prefix) is one of these.
     *
     * @param shownName the name the user wrote it as, e.g. {@code PYRO_SERIALIZER}
     */
    static void reject(String item, String shownName) {
        for (InapplicableItem inapplicable : values()) {
            if (inapplicable.name().equals(item)) {
                throw new ConfigException(shownName + " is a Pyro5 setting that does not apply to Pyromesh: "
                        + inapplicable.reason);
            }
        }
    }
}
