package dev.parley.config;

import dev.parley.common.redis.RedisConditions;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;

/**
 * Which Redis this node talks to, from Spring Boot's own setting names (read here: Parley wires Lettuce itself):
 * exactly one of {@code spring.data.redis.url} (one server), {@code spring.data.redis.cluster.nodes} (a Redis
 * Cluster, comma-separated {@code host:port} seeds) or {@code spring.data.redis.sentinel.master} with
 * {@code spring.data.redis.sentinel.nodes} (Sentinel). For the cluster and Sentinel, {@code
 * spring.data.redis.username}/{@code password} authenticate to the data nodes, {@code spring.data.redis.sentinel.
 * username}/{@code password} to the Sentinels, {@code spring.data.redis.ssl.enabled} switches TLS on and
 * {@code spring.data.redis.database} picks the database (Sentinel only: a cluster has one).
 */
final class RedisEndpoints {

    static final String USERNAME = "spring.data.redis.username";
    static final String PASSWORD = "spring.data.redis.password";
    static final String SSL = "spring.data.redis.ssl.enabled";
    static final String DATABASE = "spring.data.redis.database";
    static final String SENTINEL_NODES = "spring.data.redis.sentinel.nodes";
    static final String SENTINEL_USERNAME = "spring.data.redis.sentinel.username";
    static final String SENTINEL_PASSWORD = "spring.data.redis.sentinel.password";
    /** How often a cluster client asks for the topology even when nothing pointed to a change. */
    static final String TOPOLOGY_REFRESH = "parley.redis.topology-refresh";

    private RedisEndpoints() {}

    /** A client for the configured Redis, with the options of {@link #options}; connects nothing yet. */
    static AbstractRedisClient client(Environment env, String clientName) {
        String url = text(env, RedisConditions.URL);
        String nodes = text(env, RedisConditions.CLUSTER_NODES);
        String master = text(env, RedisConditions.SENTINEL_MASTER);
        int modes = (url == null ? 0 : 1) + (nodes == null ? 0 : 1) + (master == null ? 0 : 1);
        if (modes > 1) {
            throw new IllegalStateException("Set only one of " + RedisConditions.URL + ", "
                    + RedisConditions.CLUSTER_NODES + " and " + RedisConditions.SENTINEL_MASTER);
        }
        if (nodes != null) {
            List<RedisURI> seeds = new ArrayList<>();
            for (String node : split(nodes, RedisConditions.CLUSTER_NODES)) {
                seeds.add(dataNode(env, RedisURI.builder(hostAndPort(node)), clientName)
                        .build());
            }
            RedisClusterClient client = RedisClusterClient.create(seeds);
            String every = text(env, TOPOLOGY_REFRESH);
            Duration refresh = every == null ? Duration.ofSeconds(10) : DurationStyle.detectAndParse(every);
            client.setOptions(ClusterClientOptions.builder(options())
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(refresh)
                            // MOVED/ASK replies, reconnect attempts to a node, uncovered slots: ask at once.
                            .enableAllAdaptiveRefreshTriggers()
                            .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(1))
                            .refreshTriggersReconnectAttempts(2)
                            .build())
                    .build());
            return client;
        }
        RedisURI uri = master != null ? sentinel(env, master, clientName) : RedisConfig.uri(url, clientName);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(options());
        return client;
    }

    /**
     * Commands are rejected at once while the connection is down (Redis is a hint: a publish that cannot go out is
     * dropped, never queued without bound) and time out after two seconds.
     */
    static ClientOptions options() {
        return ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(100_000)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .build();
    }

    /** The master named {@code master} as the Sentinels see it; Lettuce asks them again after each disconnect. */
    static RedisURI sentinel(Environment env, String master, String clientName) {
        RedisURI.Builder builder = RedisURI.builder().withSentinelMasterId(master);
        String username = text(env, SENTINEL_USERNAME);
        String password = text(env, SENTINEL_PASSWORD);
        String nodes = text(env, SENTINEL_NODES);
        if (nodes == null) {
            throw new IllegalStateException(SENTINEL_NODES + " must name the Sentinels (host:port,...)");
        }
        for (String node : split(nodes, SENTINEL_NODES)) {
            RedisURI.Builder sentinel = RedisURI.builder(hostAndPort(node));
            authenticate(sentinel, username, password);
            builder.withSentinel(sentinel.build());
        }
        builder.withDatabase(env.getProperty(DATABASE, Integer.class, 0));
        return dataNode(env, builder, clientName).build();
    }

    private static RedisURI.Builder dataNode(Environment env, RedisURI.Builder builder, String clientName) {
        authenticate(builder, text(env, USERNAME), text(env, PASSWORD));
        return builder.withSsl(env.getProperty(SSL, Boolean.class, false)).withClientName(clientName);
    }

    /** A password alone is Redis's {@code requirepass}; with a username, an ACL user. */
    private static void authenticate(RedisURI.Builder builder, String username, String password) {
        if (password == null) {
            return;
        }
        if (username == null) {
            builder.withPassword(password.toCharArray());
        } else {
            builder.withAuthentication(username, password);
        }
    }

    /** {@code host:port}, or {@code [v6]:port}; an IllegalArgumentException (the node does not start) otherwise. */
    private static RedisURI hostAndPort(String node) {
        int colon = node.lastIndexOf(':');
        if (colon <= 0 || colon == node.length() - 1) {
            throw new IllegalArgumentException("Not host:port: " + node);
        }
        String host = node.substring(0, colon).replace("[", "").replace("]", "");
        try {
            return RedisURI.create(host, Integer.parseInt(node.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not host:port: " + node, e);
        }
    }

    private static List<String> split(String list, String key) {
        List<String> out = new ArrayList<>();
        for (String part : list.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(key + " names no node");
        }
        return out;
    }

    private static String text(Environment env, String key) {
        String value = env.getProperty(key);
        return value == null || value.isBlank() ? null : value;
    }
}
