package dev.parley.common.redis;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether this node uses Redis: one of {@code spring.data.redis.url} (one server), {@code
 * spring.data.redis.cluster.nodes} (a Redis Cluster) or {@code spring.data.redis.sentinel.master} (a master watched
 * by Sentinels) set and not blank. Features choose their Redis or in-process implementation with
 * {@code @Conditional(RedisConditions.Configured.class)} or {@code NotConfigured}.
 */
public final class RedisConditions {

    /** One server (or a proxy in front of several). */
    public static final String URL = "spring.data.redis.url";
    /** Comma-separated {@code host:port} seeds of a Redis Cluster. */
    public static final String CLUSTER_NODES = "spring.data.redis.cluster.nodes";
    /** The name of the master the Sentinels watch. */
    public static final String SENTINEL_MASTER = "spring.data.redis.sentinel.master";

    private RedisConditions() {}

    /** True when any of the three settings names a Redis. */
    public static boolean configured(PropertyResolver env) {
        return set(env, URL) || set(env, CLUSTER_NODES) || set(env, SENTINEL_MASTER);
    }

    private static boolean set(PropertyResolver env, String key) {
        String value = env.getProperty(key);
        return value != null && !value.isBlank();
    }

    /** Redis is configured. */
    public static final class Configured implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return configured(context.getEnvironment());
        }
    }

    /** No Redis: the in-process implementations apply. */
    public static final class NotConfigured implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !configured(context.getEnvironment());
        }
    }
}
