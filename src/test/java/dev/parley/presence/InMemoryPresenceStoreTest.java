package dev.parley.presence;

import org.junit.jupiter.api.BeforeEach;

class InMemoryPresenceStoreTest extends PresenceStoreContract {

    @BeforeEach
    void createStore() {
        store = new InMemoryPresenceStore(PresenceStoreContract.TIMING);
    }
}
