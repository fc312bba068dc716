package io.pyromesh.nameserver.consul;

import io.pyromesh.nameserver.store.Registration;
import java.time.Instant;

/**
 * One Pyro registration as a Consul service instance.
 *
 * @param id the instance's unique id
 * @param node the Consul node (agent) it is registered on
 * @param registered when it was registered: when several instances carry one name, the newest is the one
 * @param registration what it says
 */
record Instance(String id, String node, Instant registered, Registration registration) {
    String name() {
        return registration.name();
    }

    /** The newer of two instances of one name (the later id on a tie, so every reader picks the same). */
    static Instance newer(Instance a, Instance b) {
        int byTime = a.registered.compareTo(b.registered);
        return byTime > 0 || (byTime == 0 && a.id.compareTo(b.id) > 0) ? a : b;
    }
}
