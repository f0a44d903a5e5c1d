package dev.parley.config;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Redis, when {@code spring.data.redis.url} is set: one Lettuce client and one shared command connection (fan-out
 * publishes, typing, presence), plus the {@code redis} health check. With no URL nothing
 * here exists and every feature uses its in-process implementation.
 *
 * <p>Spring Boot's own Redis auto-configuration is excluded (application.yml): it would create a connection
 * factory and a health check against localhost even with no URL set, and we need raw Lettuce for per-user
 * subscriptions anyway. Commands are rejected at once while the connection is down (Redis is a hint: a publish
 * that cannot go out is dropped, never queued without bound) and time out after two seconds.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RedisConfig.Configured.class)
public class RedisConfig {

    static final String URL = "spring.data.redis.url";

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(Environment env, RedisKeys keys) {
        RedisURI uri = RedisURI.create(env.getRequiredProperty(URL));
        if (uri.getClientName() == null) {
            // Operators (and tests) find this deployment's connections in CLIENT LIST by it.
            uri.setClientName(keys.prefix());
        }
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(100_000)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .build());
        return client;
    }

    @Bean(destroyMethod = "close")
    StatefulRedisConnection<String, String> redisConnection(RedisClient client) {
        return client.connect();
    }

    @Bean
    RedisKeys redisKeys(Environment env) {
        return new RedisKeys(env.getProperty("parley.redis.prefix", "parley"));
    }

    /**
     * Named so that the health contributor is {@code redis}. Degradable: without Redis this node still serves
     * (pushes to other nodes' sockets are missed and caught up by sync; presence answers 503), see HealthConfig.
     */
    @Bean
    HealthIndicator redisHealthIndicator(DependencyChecks checks, StatefulRedisConnection<String, String> redis) {
        return checks.degradable("redis", () -> "PONG".equals(redis.async().ping().get(1, TimeUnit.SECONDS))
                ? Health.up().build() : Health.down().withDetail("error", "PING was not answered PONG").build());
    }

    /** Redis is configured: {@code spring.data.redis.url} is set and not blank. */
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
