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
}
