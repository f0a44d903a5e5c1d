package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.common.redis.RedisKeys;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * Which Redis a node talks to, from Spring Boot's setting names: one URL, cluster seeds or Sentinels, exactly one
 * of them; and the keys that scripts use together share a hash tag.
 */
class RedisEndpointsTest {

    @Test
    void clusterNodesMakeAClusterClientThatRefreshesItsTopology() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("spring.data.redis.cluster.nodes", " 127.0.0.1:7000, [::1]:7001 ,")
                .withProperty("spring.data.redis.password", "pw")
                .withProperty("parley.redis.topology-refresh", "3s");
        AbstractRedisClient client = RedisEndpoints.client(env, "parley-a");
        try {
            assertThat(client).isInstanceOf(RedisClusterClient.class);
            ClusterClientOptions options = (ClusterClientOptions) ((RedisClusterClient) client).getOptions();
            assertThat(options.getTopologyRefreshOptions().isPeriodicRefreshEnabled())
                    .isTrue();
            assertThat(options.getTopologyRefreshOptions().getRefreshPeriod()).isEqualTo(Duration.ofSeconds(3));
            assertThat(options.getTopologyRefreshOptions().getAdaptiveRefreshTriggers())
                    .isNotEmpty();
            assertThat(options.getDisconnectedBehavior()).isEqualTo(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void sentinelsNameTheMasterWithTheirOwnCredentials() {
        MockEnvironment env = new MockEnvironment()
                .withProperty("spring.data.redis.sentinel.master", "mymaster")
                .withProperty("spring.data.redis.sentinel.nodes", "s1:26379,s2:26380")
                .withProperty("spring.data.redis.sentinel.password", "sentinel-pw")
                .withProperty("spring.data.redis.password", "data-pw")
                .withProperty("spring.data.redis.database", "3");
        RedisURI uri = RedisEndpoints.sentinel(env, "mymaster", "parley-a");
        assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
        assertThat(uri.getSentinels()).extracting(RedisURI::getHost).containsExactly("s1", "s2");
        assertThat(uri.getSentinels()).extracting(RedisURI::getPort).containsExactly(26379, 26380);
        assertThat(new String(uri.getSentinels()
                        .get(0)
                        .getCredentialsProvider()
                        .resolveCredentials()
                        .block()
                        .getPassword()))
                .isEqualTo("sentinel-pw");
        assertThat(new String(uri.getCredentialsProvider()
                        .resolveCredentials()
                        .block()
                        .getPassword()))
                .isEqualTo("data-pw");
        assertThat(uri.getDatabase()).isEqualTo(3);
        assertThat(uri.getClientName()).isEqualTo("parley-a");

        AbstractRedisClient client = RedisEndpoints.client(env, "parley-a");
        try {
            assertThat(client).isInstanceOf(RedisClient.class);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void oneShapeOnlyAndWellFormedNodes() {
        assertThatThrownBy(() -> RedisEndpoints.client(
                        new MockEnvironment()
                                .withProperty("spring.data.redis.url", "redis://127.0.0.1")
                                .withProperty("spring.data.redis.cluster.nodes", "127.0.0.1:7000"),
                        "parley-a"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only one");
        assertThatThrownBy(() -> RedisEndpoints.client(
                        new MockEnvironment().withProperty("spring.data.redis.cluster.nodes", "redis-1"), "parley-a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> RedisEndpoints.client(
                        new MockEnvironment().withProperty("spring.data.redis.sentinel.master", "mymaster"),
                        "parley-a"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("spring.data.redis.sentinel.nodes");
    }

    @Test
    void keysUsedTogetherShareAHashTag() {
        RedisKeys keys = new RedisKeys("parley");
        assertThat(keys.slot("typing", "c1")).isEqualTo("parley:{typing:c1}");
        assertThat(keys.slot("presence", 'a') + ":due").isEqualTo("parley:{presence:a}:due");
    }
}
