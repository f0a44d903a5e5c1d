package dev.parley.realtime.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.Chat;
import dev.parley.support.FailoverRun;
import dev.parley.support.RedisCluster;
import dev.parley.support.RedisServer;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two nodes on a Redis Cluster the test starts (three masters, a replica each, on loopback): events, presence,
 * typing and limits cross the nodes, a user's events travel on a shard channel only its shard carries, and a master
 * killed during a run of sends loses nothing while delivery resumes on the promoted replica. Embedded-only: it
 * starts its own Redis nodes, so CI runs it once.
 */
@Tag("embedded-only")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {

    private final String prefix = "parley-cluster-" + UUID.randomUUID();
    private RedisCluster cluster;
    private ConfigurableApplicationContext node1;
    private ConfigurableApplicationContext node2;
    private TestClient api1;
    private TestClient api2;

    @BeforeAll
    void start() {
        cluster = RedisCluster.start(3);
        String[] args = {
            "--spring.data.redis.cluster.nodes=" + cluster.seeds(),
            "--parley.redis.prefix=" + prefix,
            "--parley.redis.topology-refresh=1s",
            "--parley.limits.groups-per-hour=3"
        };
        node1 = SendRun.startNode(args);
        node2 = SendRun.startNode(args);
        api1 = SendRun.client(node1);
        api2 = SendRun.client(node2);
    }

    @AfterAll
    void stop() {
        try {
            for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] {node2, node1}) {
                if (node != null) {
                    node.close();
                }
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void eventsPresenceAndTypingCrossNodesOnShardChannels() {
        TestClient.User alice = api1.register("cluster");
        TestClient.User bob = api2.register("cluster");
        UUID direct = new Chat(api1).direct(alice, bob);
        try (WsClient b = WsClient.connect(api2, bob)) {
            SendRun.awaitDevices(api1, alice, bob, 1);

            // Bob's channel is a shard channel on the one master owning its slot, and a classic channel nowhere.
            String channel = prefix + ":user:" + bob.id();
            RedisServer owner = cluster.masterOf(channel);
            List<String> onOwner = cluster.on(owner, redis -> redis.pubsubShardChannels(channel));
            assertThat(onOwner).containsExactly(channel);
            for (RedisServer master : cluster.masters()) {
                List<String> classic = cluster.on(master, RedisCommands::pubsubChannels);
                assertThat(classic).noneMatch(name -> name.startsWith(prefix));
                if (master != owner) {
                    List<String> elsewhere = cluster.on(master, redis -> redis.pubsubShardChannels(channel));
                    assertThat(elsewhere).isEmpty();
                }
            }

            try (WsClient a = WsClient.connect(api1, alice)) {
                JsonNode online = b.await(
                        "presence.updated",
                        p -> p.path("user_id").asString().equals(alice.id().toString()));
                assertThat(online.path("status").asString()).isEqualTo("online");
                assertThat(api2.get("/api/v1/users/" + alice.id() + "/presence", bob.token())
                                .expect(200)
                                .json()
                                .path("device_count")
                                .asInt())
                        .isEqualTo(1);

                UUID sent = new Chat(api1).sendOk(alice, direct, "over a cluster");
                b.await(
                        "message.new",
                        m -> m.path("message").path("message_id").asString().equals(sent.toString()));

                a.send("typing.start", Map.of("conversation_id", direct.toString()));
                JsonNode typing = b.await("typing.indicator");
                assertThat(typing.path("is_typing").asBoolean()).isTrue();
                assertThat(api2.get("/api/v1/conversations/" + direct + "/typing", bob.token())
                                .expect(200)
                                .json()
                                .path("typing"))
                        .extracting(t -> t.path("user_id").asString())
                        .containsExactly(alice.id().toString());
            }
            b.await(
                    "presence.updated",
                    p -> p.path("user_id").asString().equals(alice.id().toString())
                            && "offline".equals(p.path("status").asString()));
        }
    }

    @Test
    @Order(2)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLimitIsSharedByBothNodes() {
        TestClient.User carol = api1.register("cluster");
        TestClient.User dave = api1.register("cluster");
        List<TestClient> nodes = List.of(api1, api2, api1);
        for (TestClient api : nodes) {
            createGroup(api, carol, dave).expect(201);
        }
        // Three groups an hour, taken on either node: the fourth is refused on both.
        createGroup(api2, carol, dave).expectError(429, "RATE_LIMIT_EXCEEDED");
        createGroup(api1, carol, dave).expectError(429, "RATE_LIMIT_EXCEEDED");
    }

    @Test
    @Order(3)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aMasterKilledDuringSendsLosesNothingAndDeliveryResumes() throws Exception {
        AtomicReference<RedisServer> victim = new AtomicReference<>();
        FailoverRun.during(api1, api2, "cfail", bob -> {
            // The master that carries bob's shard channel dies (SIGKILL by PID); its replica takes over.
            String channel = prefix + ":user:" + bob.id();
            victim.set(cluster.masterOf(channel));
            cluster.kill(victim.get());
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    // Until a replica is promoted, no live master serves the slot (masterOf throws).
                    .ignoreExceptions()
                    .until(() -> cluster.masterOf(channel) != victim.get());
            cluster.awaitHealthy();
        });
        assertThat(cluster.masters()).hasSize(3).doesNotContain(victim.get());
    }

    private static TestClient.Resp createGroup(TestClient api, TestClient.User owner, TestClient.User member) {
        return api.post(
                "/api/v1/conversations",
                owner.token(),
                Map.of(
                        "type",
                        "group",
                        "name",
                        "limited",
                        "participant_ids",
                        List.of(member.id().toString())));
    }
}
