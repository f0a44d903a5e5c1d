package dev.parley.presence;

import dev.parley.config.RedisKeys;
import dev.parley.support.RedisAvailable;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The same rules in Redis, where a Lua script applies them; keys under a prefix of this run's own. */
class RedisPresenceStoreTest extends PresenceStoreContract {

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    @BeforeEach
    void createStore() {
        RedisAvailable.require();
        client = RedisClient.create(RedisAvailable.URL);
        connection = client.connect();
        store = new RedisPresenceStore(connection, new RedisKeys("parley-test-" + UUID.randomUUID()));
    }

    @AfterEach
    void close() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown();
        }
    }
}
