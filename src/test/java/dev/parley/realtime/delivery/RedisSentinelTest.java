package dev.parley.realtime.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.Chat;
import dev.parley.support.FailoverRun;
import dev.parley.support.RedisServer;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two nodes on a Redis master with one replica, watched by one Sentinel, all started by the test on loopback; the
 * nodes find the master through the Sentinel ({@code spring.data.redis.sentinel.*}). {@code SENTINEL FAILOVER}
 * during a run of sends hands the master role to the replica: nothing acknowledged is lost, and delivery across the
 * nodes resumes on the new master. Embedded-only: it starts its own Redis servers, so CI runs it once.
 */
@Tag("embedded-only")
class RedisSentinelTest {

    private static final String MASTER = "mymaster";

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aSentinelFailoverDuringSendsLosesNothingAndDeliveryResumes() throws Exception {
        List<AutoCloseable> started = new ArrayList<>();
        Path config = Files.createTempFile("parley-sentinel-", ".conf");
        RedisClient admin = RedisClient.create();
        try {
            RedisServer master = RedisServer.start();
            started.add(master);
            RedisServer replica = RedisServer.start("--replicaof", "127.0.0.1", Integer.toString(master.port()));
            started.add(replica);
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "sentinel monitor " + MASTER + " 127.0.0.1 " + master.port() + " 1",
                            "sentinel down-after-milliseconds " + MASTER + " 1000",
                            "sentinel failover-timeout " + MASTER + " 5000",
                            ""));
            RedisServer sentinelServer = RedisServer.startSentinel(config);
            started.add(sentinelServer);
            // Connections of the test's own; Lettuce reconnects them when the failover drops them.
            RedisCommands<String, String> onMaster = connect(admin, master, started);
            RedisCommands<String, String> onReplica = connect(admin, replica, started);
            StatefulRedisSentinelConnection<String, String> sentinelConnection =
                    admin.connectSentinel(RedisURI.create("127.0.0.1", sentinelServer.port()));
            started.add(sentinelConnection);
            RedisSentinelCommands<String, String> sentinel = sentinelConnection.sync();
            // The Sentinel has found the replica (through the master) before a failover can pick it.
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> sentinel.replicas(MASTER).size() == 1
                            && onReplica.info("replication").contains("master_link_status:up"));

            String[] args = {
                "--spring.data.redis.sentinel.master=" + MASTER,
                "--spring.data.redis.sentinel.nodes=127.0.0.1:" + sentinelServer.port(),
                "--parley.redis.prefix=parley-sentinel-" + UUID.randomUUID()
            };
            ConfigurableApplicationContext node1 = SendRun.startNode(args);
            started.add(0, node1);
            ConfigurableApplicationContext node2 = SendRun.startNode(args);
            started.add(0, node2);
            TestClient api1 = SendRun.client(node1);
            TestClient api2 = SendRun.client(node2);

            // Through the master the Sentinel names: a message crosses the nodes, over the master.
            TestClient.User alice = api1.register("sentinel");
            TestClient.User bob = api2.register("sentinel");
            UUID direct = new Chat(api1).direct(alice, bob);
            try (WsClient b = WsClient.connect(api2, bob)) {
                SendRun.awaitDevices(api1, alice, bob, 1);
                UUID sent = new Chat(api1).sendOk(alice, direct, "through a sentinel");
                b.await(
                        "message.new",
                        m -> m.path("message").path("message_id").asString().equals(sent.toString()));
            }
            assertThat(onMaster.info("replication")).contains("role:master");

            FailoverRun.during(api1, api2, "sfail", watched -> {
                assertThat(sentinel.failover(MASTER)).isEqualTo("OK");
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> onReplica.info("replication").contains("role:master")
                                && onMaster.info("replication").contains("master_link_status:up"));
            });
            assertThat(onReplica.info("replication")).contains("role:master");
        } finally {
            for (AutoCloseable closeable : started) {
                closeable.close();
            }
            admin.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            Files.deleteIfExists(config);
        }
    }

    private static RedisCommands<String, String> connect(
            RedisClient admin, RedisServer node, List<AutoCloseable> started) {
        StatefulRedisConnection<String, String> connection = admin.connect(RedisURI.create("127.0.0.1", node.port()));
        started.add(connection);
        return connection.sync();
    }
}
