package dev.parley.common.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * A Lua script run by its SHA. The SHA is computed locally, not loaded, so a node starts (and chats) while Redis
 * is unreachable; the first run, or the first after Redis restarted without persistence, falls back to EVAL,
 * which sends the script and caches it.
 */
public record RedisScript(String source, String sha) {

    public static RedisScript of(RedisCommands<String, String> redis, String source) {
        return new RedisScript(source, redis.digest(source));
    }

    public <T> T run(RedisCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
        try {
            return redis.evalsha(sha, type, keys, args);
        } catch (RedisNoScriptException e) {
            return redis.eval(source, type, keys, args);
        }
    }
}
