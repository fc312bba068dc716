package io.pyromesh.nameserver.consul;

import io.pyromesh.nameserver.store.Registration;
import io.pyromesh.nameserver.store.Store;
import io.pyromesh.nameserver.store.StoreContract;
import io.pyromesh.testing.ConsulAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Pyro's rules on Consul, exactly as on the other stores: the shared contract against a real agent. */
class ConsulStoreTest extends StoreContract {
    private static ConsulAgent consul;

    @BeforeAll
    static void startConsul() throws Exception {
        consul = ConsulAgent.startDev();
    }

    @AfterAll
    static void stopConsul() throws Exception {
        consul.close();
    }

    /** A store over the agent, emptied of what earlier tests left. */
    @Override
    protected Store newStore() {
        Store store = new ConsulStore(consul.httpAddress());
        store.removeAll(store.withPrefix("").stream().map(Registration::name).toList());
        return store;
    }
}
