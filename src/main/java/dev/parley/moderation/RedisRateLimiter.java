package dev.parley.moderation;

import dev.parley.common.LogThrottle;
import dev.parley.common.redis.RedisConditions;
import dev.parley.common.redis.RedisConnections;
import dev.parley.common.redis.RedisKeys;
import dev.parley.common.redis.RedisScript;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * The limiter every node shares: per user and limit one key {@code <prefix>:limit:<limit>:<user>} holding the
 * {@code tat} in microseconds, expiring when it passes (then the user has a whole allowance again, as with no
 * key). A Lua script reads and moves it in one step, so two nodes can never both take the last unit. The script
 * touches that one key only, so on a Redis Cluster it runs on whichever master owns the key's slot.
 *
 * <p>Time comes from the calling node's clock, not Redis's: tests can drive it, and node clocks under NTP differ
 * by milliseconds, which only shifts a refill by as much.
 *
 * <p>When Redis fails, the check is skipped (fail open) with a warning and {@code rate.limit.errors}: a limit is
 * abuse protection, and refusing every message while Redis is down would turn an outage of a hint store into an
 * outage of chat, which PostgreSQL alone could still serve.
 */
@Component
@Conditional(RedisConditions.Configured.class)
class RedisRateLimiter extends GcraRateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

    /**
     * KEYS: the state key. ARGV: now, interval, period (µs), units. Returns 0 when the units were taken, else the
     * wait (µs).
     */
    static final String SCRIPT = """
            local now = tonumber(ARGV[1])
            local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
            if tat < now then tat = now end
            local new_tat = tat + tonumber(ARGV[2]) * tonumber(ARGV[4])
            local wait = new_tat - tonumber(ARGV[3]) - now
            if wait > 0 then return wait end
            -- %.0f, not tostring: Lua prints numbers with 14 digits, and a time in microseconds has 16.
            redis.call('SET', KEYS[1], string.format('%.0f', new_tat),
              'PX', string.format('%.0f', math.ceil((new_tat - now) / 1000)))
            return 0
            """;

    /** While Redis is down every send fails over here; one warning per failure would flood the log. */
    private final LogThrottle warnings = new LogThrottle(Duration.ofSeconds(10));

    private final RedisClusterCommands<String, String> redis;
    private final RedisKeys keys;
    private final RedisScript script;

    RedisRateLimiter(
            RedisConnections connections,
            RedisKeys keys,
            RateLimitProperties properties,
            RateLimitMetrics metrics,
            Clock clock) {
        super(properties, metrics, clock);
        this.redis = connections.sync();
        this.keys = keys;
        this.script = RedisScript.of(redis, SCRIPT);
    }

    @Override
    protected long take(UUID userId, RateLimit limit, RateLimitProperties.Quota quota, int units, long nowMicros) {
        String[] key = {keys.name("limit", limit.key(), userId)};
        String[] args = {
            Long.toString(nowMicros),
            Long.toString(quota.intervalMicros()),
            Long.toString(quota.periodMicros()),
            Integer.toString(units)
        };
        try {
            return script.<Long>run(redis, ScriptOutputType.INTEGER, key, args);
        } catch (RedisException e) {
            metrics.failed(limit);
            if (warnings.due()) {
                log.warn(
                        "rate_limit_unavailable: {} and other limits are not enforced until Redis answers: {}",
                        limit.key(),
                        e.toString());
            }
            return 0;
        }
    }
}
