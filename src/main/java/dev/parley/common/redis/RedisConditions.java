package dev.parley.common.redis;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether this node uses Redis: {@code spring.data.redis.url} set and not blank. Features choose their Redis or
 * in-process implementation with {@code @Conditional(RedisConditions.Configured.class)} or {@code NotConfigured}.
 */
public final class RedisConditions {

    /** The one setting that switches Redis on. */
    public static final String URL = "spring.data.redis.url";

    private RedisConditions() {}

    /** Redis is configured. */
    public static final class Configured implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty(URL);
            return url != null && !url.isBlank();
        }
    }

    /** No Redis: the in-process implementations apply. */
    public static final class NotConfigured implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !new Configured().matches(context, metadata);
        }
    }
}
