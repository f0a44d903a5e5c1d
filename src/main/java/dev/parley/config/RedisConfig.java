package dev.parley.config;

import dev.parley.common.redis.RedisConditions;
import dev.parley.common.redis.RedisKeys;
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
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Redis, when {@code spring.data.redis.url} is set: one Lettuce client and one shared command connection (fan-out
 * publishes, typing, presence), plus the {@code redis} health check of the readiness group. With no URL nothing
 * here exists and every feature uses its in-process implementation.
 *
 * <p>Spring Boot's own Redis auto-configuration is excluded (application.yml): it would create a connection
 * factory and a health check against localhost even with no URL set, and we need raw Lettuce for per-user
 * subscriptions anyway. Commands are rejected at once while the connection is down (Redis is a hint: a publish
 * that cannot go out is dropped, never queued without bound) and time out after two seconds.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RedisConditions.Configured.class)
public class RedisConfig {

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(Environment env, RedisKeys keys) {
        RedisURI uri = RedisURI.create(env.getRequiredProperty(RedisConditions.URL));
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

    /** Named so that the health contributor is {@code redis}, which the readiness group includes. */
    @Bean
    HealthIndicator redisHealthIndicator(StatefulRedisConnection<String, String> redis) {
        return () -> {
            try {
                return "PONG".equals(redis.async().ping().get(1, TimeUnit.SECONDS)) ? Health.up().build()
                        : Health.down().build();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return Health.down().withException(e).build();
            }
        };
    }
}
