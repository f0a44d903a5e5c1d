package dev.parley.presence;

import dev.parley.common.LogThrottle;
import dev.parley.common.redis.RedisConditions;
import dev.parley.common.redis.RedisConnections;
import dev.parley.common.redis.RedisKeys;
import dev.parley.common.redis.RedisScript;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Typing shared by every node: per conversation a sorted set {@code <prefix>:{typing:<conversation>}} of user ids
 * scored by when their state expires, the key itself expiring with the last state (10 s after the last renewal),
 * and beside it a hash {@code <prefix>:{typing:<conversation>}:announced} (the same hash tag, so on a Redis
 * Cluster the start script's two keys share a slot) of when each user's state was last
 * announced, expiring with it. A start is one script, so that of several nodes renewing one state only one
 * announces it. Reads skip expired members and starts trim them. Typing is a hint: when Redis fails, nobody
 * appears to type.
 */
@Component
@Conditional(RedisConditions.Configured.class)
class RedisTypingStore implements TypingStore {

    private static final Logger log = LoggerFactory.getLogger(RedisTypingStore.class);

    /** KEYS: states, announced. ARGV: user, now ms, until ms, announce-every ms. Returns 1 to announce. */
    private static final String START = """
            local now = tonumber(ARGV[2])
            local live = redis.call('ZSCORE', KEYS[1], ARGV[1])
            local last = redis.call('HGET', KEYS[2], ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
            redis.call('PEXPIREAT', KEYS[1], ARGV[3])
            local announce = not live or tonumber(live) <= now or not last
                or now - tonumber(last) >= tonumber(ARGV[4])
            if announce then redis.call('HSET', KEYS[2], ARGV[1], ARGV[2]) end
            redis.call('PEXPIREAT', KEYS[2], ARGV[3])
            return announce and 1 or 0
            """;

    private final LogThrottle warnings = new LogThrottle(Duration.ofSeconds(10));

    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;
    private final RedisKeys keys;
    private final RedisScript start;

    RedisTypingStore(RedisConnections connections, RedisKeys keys) {
        this.sync = connections.sync();
        this.async = connections.async();
        this.keys = keys;
        this.start = RedisScript.of(sync, START);
    }

    @Override
    public boolean start(UUID conversationId, UUID userId, Instant now, Instant expiresAt, Duration announceEvery) {
        String key = key(conversationId);
        try {
            Long announce = start.run(
                    sync,
                    ScriptOutputType.INTEGER,
                    new String[] {key, key + ":announced"},
                    userId.toString(),
                    Long.toString(now.toEpochMilli()),
                    Long.toString(expiresAt.toEpochMilli()),
                    Long.toString(announceEvery.toMillis()));
            return announce != null && announce == 1;
        } catch (RedisException e) {
            failed(e);
            return false;
        }
    }

    @Override
    public boolean stop(UUID conversationId, UUID userId) {
        try {
            return sync.zrem(key(conversationId), userId.toString()) > 0;
        } catch (RedisException e) {
            failed(e);
            return false;
        }
    }

    @Override
    public CompletionStage<Boolean> stopLater(UUID conversationId, UUID userId) {
        try {
            return async.zrem(key(conversationId), userId.toString()).handle((removed, e) -> {
                if (e != null) {
                    failed(e);
                    return false;
                }
                return removed != null && removed > 0;
            });
        } catch (RedisException e) {
            failed(e);
            return CompletableFuture.completedFuture(false);
        }
    }

    @Override
    public Map<UUID, Instant> typing(UUID conversationId, Instant now) {
        Map<UUID, Instant> out = new HashMap<>();
        try {
            for (ScoredValue<String> v : sync.zrangebyscoreWithScores(
                    key(conversationId), Range.create((double) now.toEpochMilli() + 1, Double.POSITIVE_INFINITY))) {
                out.put(UUID.fromString(v.getValue()), Instant.ofEpochMilli((long) v.getScore()));
            }
        } catch (RedisException e) {
            failed(e);
        }
        return out;
    }

    private void failed(Throwable e) {
        if (warnings.due()) {
            log.warn("typing_store_failed: nobody appears to type until Redis is back: {}", e.toString());
        }
    }

    private String key(UUID conversationId) {
        return keys.slot("typing", conversationId);
    }
}
