package dev.parley.config;

import dev.parley.common.redis.RedisConditions;
import dev.parley.common.redis.RedisConnections;
import dev.parley.common.redis.RedisKeys;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Redis, when one is configured (one server, a Redis Cluster or Sentinel, see {@link RedisEndpoints}): one Lettuce
 * client and one shared command connection ({@link RedisConnections}: fan-out publishes, typing, presence, limits),
 * plus the {@code redis} health check. With none configured nothing here exists and every feature uses its
 * in-process implementation.
 *
 * <p>Lettuce is a dependency of its own, without Spring Data Redis: Parley needs raw Lettuce for per-user
 * subscriptions and Lua scripts, and Boot's Redis auto-configuration would connect to localhost (and report it in
 * health) even with no URL set. So the settings are read here, under the keys Boot uses ({@code
 * SPRING_DATA_REDIS_URL} in the environment), and the URL means what Lettuce's URI says: {@code rediss://} for
 * TLS, {@code redis://:password@host} or {@code redis://user:password@host} for credentials, {@code /2} for a
 * database.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RedisConditions.Configured.class)
public class RedisConfig {

    @Bean(destroyMethod = "shutdown")
    AbstractRedisClient redisClient(Environment env, RedisKeys keys) {
        return RedisEndpoints.client(env, keys.prefix());
    }

    @Bean(destroyMethod = "close")
    RedisConnections redisConnections(AbstractRedisClient client) {
        return client instanceof RedisClusterClient cluster
                ? RedisConnections.of(cluster)
                : RedisConnections.of((RedisClient) client);
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
    HealthIndicator redisHealthIndicator(DependencyChecks checks, RedisConnections redis) {
        return checks.degradable(
                "redis",
                () -> "PONG".equals(redis.async().ping().get(1, TimeUnit.SECONDS))
                        ? Health.up().build()
                        : Health.down()
                                .withDetail("error", "PING was not answered PONG")
                                .build());
    }
}
