package io.pyromesh.nameserver.consul;

import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.nameserver.store.Store;
import io.pyromesh.nameserver.store.StoreContract;
import io.pyromesh.testing.DevConsul;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pyro's rules on Consul, exactly as on the other stores: the shared contract against a real agent. */
class ConsulStoreTest extends StoreContract {
    @RegisterExtension
    static final DevConsul consul = new DevConsul();

    /** A store over the agent, emptied of what earlier tests left. */
    @Override
    protected Store newStore() {
        Store store = new ConsulStore(consul.httpAddress());
        store.removeAll(store.withPrefix("").stream().map(Registration::name).toList());
        return store;
    }

    /**
     * A Consul agent's work per registration grows with the services it holds (measured: about 650
     * registrations/s when empty, 150/s at 400 services, 23/s at 2,500), so 5,000 would take this one
     * case over ten minutes; 600 keep it to seconds.
     */
    @Override
    protected int manyRegistrations() {
        return 600;
    }
}
