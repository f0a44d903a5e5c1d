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
 * publishes, typing, presence), plus the {@code redis} health check. With no URL nothing
 * here exists and every feature uses its in-process implementation.
 *
 * <p>Lettuce is a dependency of its own, without Spring Data Redis: Parley needs raw Lettuce for per-user
 * subscriptions and Lua scripts, and Boot's Redis auto-configuration would connect to localhost (and report it in
 * health) even with no URL set. So the URL is read here, under the key Boot uses ({@code SPRING_DATA_REDIS_URL} in
 * the environment), and means what Lettuce's URI says: {@code rediss://} for TLS, {@code redis://:password@host}
 * or {@code redis://user:password@host} for credentials, {@code /2} for a database. Commands are rejected at once
 * while the connection is down (Redis is a hint: a publish that cannot go out is dropped, never queued without
 * bound) and time out after two seconds.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RedisConditions.Configured.class)
public class RedisConfig {

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(Environment env, RedisKeys keys) {
        RedisClient client = RedisClient.create(uri(env.getRequiredProperty(RedisConditions.URL), keys.prefix()));
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
     * The server {@code url} names, with its TLS, credentials and database; connections are named
     * {@code clientName} unless the URL names them ({@code ?clientName=}). Throws IllegalArgumentException for a URL
     * Lettuce cannot read, so a node with a mistyped URL does not start.
     */
    static RedisURI uri(String url, String clientName) {
        RedisURI uri = RedisURI.create(url.strip());
        if (uri.getClientName() == null) {
            // Operators (and tests) find this deployment's connections in CLIENT LIST by it.
            uri.setClientName(clientName);
        }
        return uri;
    }

    /**
     * Named so that the health contributor is {@code redis}. Degradable: without Redis this node still serves
     * (pushes to other nodes' sockets are missed and caught up by sync; presence answers 503), see HealthConfig.
     */
    @Bean
    HealthIndicator redisHealthIndicator(DependencyChecks checks, StatefulRedisConnection<String, String> redis) {
        return checks.degradable(
                "redis",
                () -> "PONG".equals(redis.async().ping().get(1, TimeUnit.SECONDS))
                        ? Health.up().build()
                        : Health.down()
                                .withDetail("error", "PING was not answered PONG")
                                .build());
    }
}
