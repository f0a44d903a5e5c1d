package dev.parley.common.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

/**
 * A Lua script run by its SHA. The SHA is computed locally, not loaded, so a node starts (and chats) while Redis
 * is unreachable; the first run, or the first after Redis restarted without persistence (or, on a cluster, on a
 * master that has not run it yet), falls back to EVAL, which sends the script and caches it. Every key a script
 * touches must be in {@code keys} and, for a Redis Cluster, share one hash tag ({@link RedisKeys#slot}).
 */
public record RedisScript(String source, String sha) {

    public static RedisScript of(RedisClusterCommands<String, String> redis, String source) {
        return new RedisScript(source, redis.digest(source));
    }

    public <T> T run(RedisClusterCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
        try {
            return redis.evalsha(sha, type, keys, args);
        } catch (RedisNoScriptException e) {
            return redis.eval(source, type, keys, args);
        }
    }
}
