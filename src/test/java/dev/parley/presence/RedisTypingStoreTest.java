package dev.parley.presence;

import dev.parley.common.redis.RedisKeys;
import dev.parley.support.RedisTestConnection;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The same rules in Redis, where one script decides, so that of several nodes only one announces a renewal. */
class RedisTypingStoreTest extends TypingStoreContract {

    private RedisTestConnection redis;

    @BeforeEach
    void createStore() {
        redis = RedisTestConnection.open();
        store = new RedisTypingStore(redis.connection(), new RedisKeys("parley-test-" + UUID.randomUUID()));
    }

    @AfterEach
    void close() {
        if (redis != null) {
            redis.close();
        }
    }
}
