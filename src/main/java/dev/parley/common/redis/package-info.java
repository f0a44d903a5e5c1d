/**
 * What every Redis-backed implementation shares: whether Redis is configured
 * ({@link dev.parley.common.redis.RedisConditions}, which picks Redis or in-process beans), the names of keys and
 * channels under {@code parley.redis.prefix} ({@link dev.parley.common.redis.RedisKeys}), and Lua scripts run by
 * SHA ({@link dev.parley.common.redis.RedisScript}). The client and connection are made in config.
 *
 * <p>May call: no feature. Called by moderation, presence, realtime and config.
 */
package dev.parley.common.redis;
