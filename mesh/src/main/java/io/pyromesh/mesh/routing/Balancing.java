package io.pyromesh.mesh.routing;

/**
 * How a call picks one of several candidates (the replicas a {@code PYROMETA:} URI finds), per call.
 * Candidates set aside after a failure are passed over while others are left.
 */
public enum Balancing {
    /**
     * The default: two candidates drawn at random, and of them the one with fewer calls in flight from
     * this hop (ties: the first drawn). Spreads load evenly and steers away from a slow replica, whose
     * calls pile up, without the herding of always taking the least loaded one.
     */
    LEAST_IN_FLIGHT_OF_TWO("least in flight of two random picks"),
    /** Each candidate in turn (one counter for the hop). */
    ROUND_ROBIN("round robin");

    private final String description;

    Balancing(String description) {
        this.description = description;
    }

    /** How the pick is made, in words (for {@code pyromesh resolve}). */
    public String description() {
        return description;
    }
}
