package io.pyromesh.nameserver;

import io.pyromesh.nameserver.store.Registration;
import java.time.Duration;
import java.util.TreeSet;

/** Registrations as the gRPC face sends them ({@code pyromesh.v1.Registration}). */
final class RegistrationMessages {
    private RegistrationMessages() {}

    /**
     * @param withMetadata whether to include the tags (sorted)
     * @param leaseLeft what is left of its lease, or null if it has none
     */
    static io.pyromesh.proto.v1.Registration of(Registration registration, boolean withMetadata, Duration leaseLeft) {
        io.pyromesh.proto.v1.Registration.Builder proto = io.pyromesh.proto.v1.Registration.newBuilder()
                .setName(registration.name()).setUri(registration.uri());
        if (withMetadata) {
            proto.addAllMetadata(new TreeSet<>(registration.metadata()));
        }
        if (leaseLeft != null) {
            proto.setLeaseRemainingSeconds(leaseLeft.toNanos() / 1e9);
        }
        return proto.build();
    }
}
