package dev.parley.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.redis.RedisConnections;
import dev.parley.common.redis.RedisKeys;
import dev.parley.support.RedisAvailable;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The same rules in Redis, where a Lua script applies them; keys under a prefix of this run's own. */
class RedisRateLimiterTest extends RateLimiterContract {

    private final RedisKeys keys = new RedisKeys("parley-test-" + UUID.randomUUID());
    private RedisClient client;
    private final List<RedisConnections> connections = new ArrayList<>();

    @BeforeEach
    void connect() {
        RedisAvailable.require();
        client = RedisClient.create(RedisAvailable.URL);
    }

    @AfterEach
    void close() {
        connections.forEach(RedisConnections::close);
        if (client != null) {
            client.shutdown();
        }
    }

    /** Each limiter has a connection of its own, as each node would. */
    @Override
    protected RedisRateLimiter limiter(RateLimitProperties properties) {
        RedisConnections connection = RedisConnections.of(client);
        connections.add(connection);
        return new RedisRateLimiter(connection, keys, properties, metrics, clock);
    }

    @Test
    void twoNodesShareOneAllowance() {
        RateLimiter node1 = limiter(DEFAULTS);
        RateLimiter node2 = limiter(DEFAULTS);
        UUID user = UUID.randomUUID();
        take(node1, user, RateLimit.MESSAGE, 30);
        take(node2, user, RateLimit.MESSAGE, 30);
        assertThat(refused(node1, user, RateLimit.MESSAGE).retryAfterSeconds()).isEqualTo(1L);
        assertThat(refused(node2, user, RateLimit.MESSAGE).retryAfterSeconds()).isEqualTo(1L);

        clock.advance(Duration.ofSeconds(1));
        take(node2, user, RateLimit.MESSAGE, 1);
        refused(node1, user, RateLimit.MESSAGE);
    }

    @Test
    void oneKeyPerUserAndLimitUnderThePrefixExpiringWithItsState() {
        RateLimiter limiter = limiter(DEFAULTS);
        UUID user = UUID.randomUUID();
        take(limiter, user, RateLimit.IMAGE_UPLOAD, 2);
        var redis = connections.getFirst().sync();
        String key = keys.prefix() + ":limit:image_upload:" + user;
        assertThat(redis.keys(keys.prefix() + ":*")).containsExactly(key);
        // Two images: the allowance is whole again in 2 × 3 minutes, and the key goes then.
        assertThat(redis.pttl(key))
                .isBetween(
                        Duration.ofMinutes(6).toMillis() - 5_000,
                        Duration.ofMinutes(6).toMillis());
        // Stored to the microsecond, not in Lua's 14-digit notation.
        assertThat(redis.get(key))
                .isEqualTo(Long.toString(GcraRateLimiter.micros(clock.instant())
                        + Duration.ofMinutes(6).toNanos() / 1_000));
    }

    @Test
    void aRestartedRedisWithoutTheScriptIsServedAgain() {
        RateLimiter limiter = limiter(DEFAULTS);
        UUID user = UUID.randomUUID();
        take(limiter, user, RateLimit.MESSAGE, 1);
        connections.getFirst().sync().scriptFlush();
        take(limiter, user, RateLimit.MESSAGE, 59);
        refused(limiter, user, RateLimit.MESSAGE);
    }
}
