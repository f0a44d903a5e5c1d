package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.ParleyApplication;
import dev.parley.support.Chat;
import dev.parley.support.RedisServer;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import io.lettuce.core.RedisURI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Redis is configured by one URL, {@code SPRING_DATA_REDIS_URL}, read by Parley itself (no Spring Data Redis): TLS,
 * credentials and the database come from the URL as Lettuce reads it, and a server that wants a password gets it.
 */
class RedisUrlTest {

    @Test
    void theUrlCarriesTlsCredentialsAndTheDatabase() {
        RedisURI tls = RedisConfig.uri("rediss://:s3cret@redis.example.com:6380/2", "parley-a");
        assertThat(tls.isSsl()).isTrue();
        assertThat(tls.isVerifyPeer()).as("TLS checks the server's certificate").isTrue();
        assertThat(new String(tls.getCredentialsProvider()
                        .resolveCredentials()
                        .block()
                        .getPassword()))
                .isEqualTo("s3cret");
        assertThat(tls.getHost()).isEqualTo("redis.example.com");
        assertThat(tls.getPort()).isEqualTo(6380);
        assertThat(tls.getDatabase()).isEqualTo(2);
        assertThat(tls.getClientName()).isEqualTo("parley-a");

        RedisURI acl = RedisConfig.uri(" redis://app:pw@127.0.0.1?clientName=mine ", "parley-a");
        assertThat(acl.isSsl()).isFalse();
        assertThat(acl.getCredentialsProvider().resolveCredentials().block().getUsername())
                .isEqualTo("app");
        assertThat(acl.getClientName()).as("a name in the URL wins").isEqualTo("mine");

        assertThatThrownBy(() -> RedisConfig.uri("localhost:6379", "parley-a"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aNodeReachesAPasswordProtectedRedisNamedByTheEnvironmentVariable() {
        String password = "pw-" + UUID.randomUUID();
        try (RedisServer redis = RedisServer.start("--requirepass", password)) {
            String url = redis.url().replace("redis://", "redis://:" + password + "@");
            ConfigurableApplicationContext node = startWithEnvironment(
                    Map.of("SPRING_DATA_REDIS_URL", url, "PARLEY_REDIS_PREFIX", "parley-url-" + UUID.randomUUID()));
            try {
                TestClient api = SendRun.client(node);
                JsonNode ready = api.get("/health/ready", null).expect(200).json();
                assertThat(ready.path("components").path("redis").path("status").asString())
                        .isEqualTo("UP");
                // A send takes its allowance through a Lua script on that Redis (EVALSHA, then EVAL once).
                TestClient.User alice = api.register("redisurl");
                TestClient.User bob = api.register("redisurl");
                Chat chat = new Chat(api);
                UUID direct = chat.direct(alice, bob);
                chat.sendOk(alice, direct, "through an authenticated Redis");
                chat.sendOk(alice, direct, "and again");
            } finally {
                node.close();
            }
        }
    }

    /** A node whose operating-system environment holds {@code variables} besides the real ones. */
    private static ConfigurableApplicationContext startWithEnvironment(Map<String, String> variables) {
        StandardEnvironment environment = new StandardEnvironment();
        Map<String, Object> merged = new HashMap<>(environment.getSystemEnvironment());
        merged.putAll(variables);
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, merged));
        return new SpringApplicationBuilder(ParleyApplication.class)
                .environment(environment)
                .profiles("test")
                .run(
                        "--server.port=0",
                        "--parley.data-dir=target/test-data/shared",
                        // On, unlike the test profile: a send's allowance is then taken in Redis.
                        "--parley.limits.messages-per-minute=100");
    }
}
