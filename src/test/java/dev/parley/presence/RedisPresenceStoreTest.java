package dev.parley.presence;

import dev.parley.common.redis.RedisKeys;
import dev.parley.support.RedisTestConnection;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The same rules in Redis, where a Lua script applies them; keys under a prefix of this run's own. */
class RedisPresenceStoreTest extends PresenceStoreContract {

    private RedisTestConnection redis;

    @BeforeEach
    void createStore() {
        redis = RedisTestConnection.open();
        store = new RedisPresenceStore(
                redis.connection(), new RedisKeys("parley-test-" + UUID.randomUUID()), PresenceStoreContract.TIMING);
    }

    @AfterEach
    void close() {
        if (redis != null) {
            redis.close();
        }
    }
}
