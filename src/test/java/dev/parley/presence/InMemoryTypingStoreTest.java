package dev.parley.presence;

import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;

class InMemoryTypingStoreTest extends TypingStoreContract {

    @BeforeEach
    void createStore() {
        store = new InMemoryTypingStore(Clock.systemUTC());
    }
}
