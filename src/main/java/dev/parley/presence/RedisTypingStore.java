package dev.parley.presence;

import dev.parley.config.RedisConfig;
import dev.parley.config.RedisKeys;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Conditional;
import org.springframework.stereotype.Component;

/**
 * Typing shared by every node: per conversation a sorted set {@code <prefix>:typing:<conversation>} of user ids
 * scored by when their state expires, the key itself expiring with the last state (10 s after the last renewal).
 * Reads skip expired members and starts trim them. Typing is a hint: when Redis fails, nobody appears to type.
 */
@Component
@Conditional(RedisConfig.Configured.class)
class RedisTypingStore implements TypingStore {

    private static final Logger log = LoggerFactory.getLogger(RedisTypingStore.class);


    private final dev.parley.common.LogThrottle warnings =
            new dev.parley.common.LogThrottle(java.time.Duration.ofSeconds(10));

    private final RedisCommands<String, String> sync;
    private final RedisAsyncCommands<String, String> async;
    private final RedisKeys keys;

    RedisTypingStore(StatefulRedisConnection<String, String> connection, RedisKeys keys) {
        this.sync = connection.sync();
        this.async = connection.async();
        this.keys = keys;
    }

    @Override
    public void start(UUID conversationId, UUID userId, Instant expiresAt) {
        String key = key(conversationId);
        long until = expiresAt.toEpochMilli();
        try {
            // Pipelined: the trim and the add go out together; only the expiry's reply is awaited.
            async.zremrangebyscore(key, Range.create(Double.NEGATIVE_INFINITY, (double) until - TypingService.TTL
                    .toMillis()));
            async.zadd(key, (double) until, userId.toString());
            sync.pexpireat(key, until);
        } catch (RedisException e) {
            failed(e);
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
    public java.util.concurrent.CompletionStage<Boolean> stopLater(UUID conversationId, UUID userId) {
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
            return java.util.concurrent.CompletableFuture.completedFuture(false);
        }
    }

    @Override
    public Map<UUID, Instant> typing(UUID conversationId, Instant now) {
        Map<UUID, Instant> out = new HashMap<>();
        try {
            for (ScoredValue<String> v : sync.zrangebyscoreWithScores(key(conversationId),
                    Range.create((double) now.toEpochMilli() + 1, Double.POSITIVE_INFINITY))) {
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
        return keys.name("typing", conversationId);
    }
}
