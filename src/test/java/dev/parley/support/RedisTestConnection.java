package dev.parley.support;

import dev.parley.common.redis.RedisConnections;
import io.lettuce.core.RedisClient;

/**
 * A connection to the tests' Redis at 127.0.0.1:6379 for a store under test, closed with its client; opening it
 * skips the test when there is no Redis ({@link RedisAvailable}).
 */
public final class RedisTestConnection implements AutoCloseable {

    private final RedisClient client;
    private final RedisConnections connection;

    private RedisTestConnection() {
        this.client = RedisClient.create(RedisAvailable.URL);
        this.connection = RedisConnections.of(client);
    }

    public static RedisTestConnection open() {
        RedisAvailable.require();
        return new RedisTestConnection();
    }

    public RedisConnections connection() {
        return connection;
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
