package dev.parley.realtime.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.ParleyApplication;
import dev.parley.support.Chat;
import dev.parley.support.RedisAvailable;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two server nodes sharing one PostgreSQL (the tests' embedded one) and the Redis on localhost, under a key
 * prefix of their own. User A is on node 1; user B has one device on each node: every event reaches both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiNodeTest {

    private final String prefix = "parley-test-" + UUID.randomUUID();
    private ConfigurableApplicationContext node1;
    private ConfigurableApplicationContext node2;
    private TestClient api1;
    private TestClient api2;

    @BeforeAll
    void startNodes() {
        RedisAvailable.require();
        node1 = start();
        node2 = start();
        api1 = client(node1);
        api2 = client(node2);
    }

    @AfterAll
    void stopNodes() {
        if (node2 != null) {
            node2.close();
        }
        if (node1 != null) {
            node1.close();
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(ParleyApplication.class)
                .profiles("test")
                .run(
                        "--server.port=0",
                        "--parley.data-dir=target/test-data/shared",
                        "--spring.data.redis.url=" + RedisAvailable.URL,
                        "--parley.redis.prefix=" + prefix);
    }

    private static TestClient client(ConfigurableApplicationContext node) {
        return new TestClient("http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port"));
    }

    @Test
    void everyEventReachesEveryDeviceOnEitherNode() {
        TestClient.User alice = api1.register("multi");
        TestClient.User bob = api1.register("multi");
        TestClient.User carol = api2.register("multi");
        UUID group = new Chat(api1).group(alice, "two nodes", bob);
        String cid = group.toString();
        // Bob leaves the group below; this keeps him among those who see Alice's presence.
        new Chat(api2).direct(bob, alice);
        try (WsClient b1 = WsClient.connect(api1, bob);
                WsClient b2 = WsClient.connect(api2, bob)) {
            List<WsClient> bobs = List.of(b1, b2);
            // Bob is subscribed on both nodes once his connection shows up in presence (two devices).
            SendRun.awaitDevices(api2, alice, bob, 2);

            try (WsClient a = WsClient.connect(api1, alice)) {
                for (WsClient device : bobs) {
                    JsonNode presence = device.await(
                            "presence.updated",
                            p -> p.path("user_id").asString().equals(alice.id().toString()));
                    assertThat(presence.path("status").asString()).isEqualTo("online");
                    assertThat(presence.path("last_seen_at").isString()).isTrue();
                }

                // A sends over the socket on node 1: the ack carries the stored message; B gets it on both nodes.
                a.send(
                        "message.send",
                        Map.of(
                                "conversation_id",
                                cid,
                                "client_message_id",
                                "m-1",
                                "type",
                                "text",
                                "content",
                                "hello from node 1"));
                JsonNode ack = a.await("message.ack");
                assertThat(ack.path("client_message_id").asString()).isEqualTo("m-1");
                String messageId = ack.path("message").path("message_id").asString();
                assertThat(messageId).isNotBlank();
                assertThat(ack.path("message").path("seq").asLong()).isPositive();
                assertThat(ack.path("message").path("content").asString()).isEqualTo("hello from node 1");
                for (WsClient device : bobs) {
                    JsonNode event = device.await(
                            "message.new",
                            m -> m.path("message").path("message_id").asString().equals(messageId));
                    assertThat(event.path("conversation_id").asString()).isEqualTo(cid);
                }

                // B reacts through node 2: A (node 1) and B's other device hear it.
                api2.post("/api/v1/messages/" + messageId + "/reactions", bob.token(), Map.of("emoji", "👍"))
                        .expect(201);
                for (WsClient device : List.of(a, b1, b2)) {
                    JsonNode reaction = device.await("message.reaction");
                    assertThat(reaction.path("action").asString()).isEqualTo("added");
                    assertThat(reaction.path("conversation_id").asString()).isEqualTo(cid);
                }

                // Typing on node 1 crosses to node 2, and the typing state is shared.
                a.send("typing.start", Map.of("conversation_id", cid));
                for (WsClient device : bobs) {
                    JsonNode typing = device.await("typing.indicator");
                    assertThat(typing.path("user_id").asString())
                            .isEqualTo(alice.id().toString());
                    assertThat(typing.path("is_typing").asBoolean()).isTrue();
                }
                JsonNode typingOn2 = api2.get("/api/v1/conversations/" + cid + "/typing", bob.token())
                        .expect(200)
                        .json()
                        .path("typing");
                assertThat(typingOn2)
                        .extracting(t -> t.path("user_id").asString())
                        .containsExactly(alice.id().toString());

                // A reads on node 1: the receipt reaches both of B's devices.
                a.send("message.read", Map.of("message_id", messageId));
                for (WsClient device : bobs) {
                    JsonNode receipt = device.await("receipt.updated");
                    assertThat(receipt.path("user_id").asString())
                            .isEqualTo(alice.id().toString());
                    assertThat(receipt.path("conversation_id").asString()).isEqualTo(cid);
                }

                // Membership changed on node 2: both nodes' recipient caches follow.
                api2.post(
                                "/api/v1/conversations/" + cid + "/participants",
                                alice.token(),
                                Map.of("user_ids", List.of(carol.id().toString())))
                        .expect(200);
                for (WsClient device : List.of(a, b1, b2)) {
                    JsonNode added = device.await("participant.added");
                    assertThat(added.path("conversation_id").asString()).isEqualTo(cid);
                }
                try (WsClient c = WsClient.connect(api1, carol)) {
                    SendRun.awaitDevices(api1, alice, carol, 1);
                    UUID second = new Chat(api2).sendOk(bob, group, "carol is in");
                    c.await(
                            "message.new",
                            m -> m.path("message").path("message_id").asString().equals(second.toString()));

                    api1.delete("/api/v1/conversations/" + cid + "/participants/" + bob.id(), alice.token())
                            .expect(204);
                    for (WsClient device : bobs) {
                        JsonNode removed = device.await("participant.removed");
                        assertThat(removed.path("user_id").asString())
                                .isEqualTo(bob.id().toString());
                    }
                    // Bob is out: a message sent on node 1 reaches Carol, and neither of Bob's devices.
                    UUID third = new Chat(api1).sendOk(alice, group, "bob is out");
                    c.await(
                            "message.new",
                            m -> m.path("message").path("message_id").asString().equals(third.toString()));
                    UUID fourth = new Chat(api2).sendOk(carol, group, "still out");
                    a.await(
                            "message.new",
                            m -> m.path("message").path("message_id").asString().equals(fourth.toString()));
                    for (WsClient device : bobs) {
                        assertThat(device.find(
                                        "message.new",
                                        m -> !m.path("message")
                                                        .path("message_id")
                                                        .asString()
                                                        .equals(messageId)
                                                && !m.path("message")
                                                        .path("message_id")
                                                        .asString()
                                                        .equals(second.toString())
                                                && !"system"
                                                        .equals(m.path("message")
                                                                .path("type")
                                                                .asString())))
                                .isEmpty();
                    }
                }
            }
            // A left: B (who still shares the direct conversation with A) hears it on both nodes.
            for (WsClient device : bobs) {
                device.await(
                        "presence.updated",
                        p -> p.path("user_id").asString().equals(alice.id().toString())
                                && "offline".equals(p.path("status").asString()));
            }
        }
    }

    @Test
    void readinessChecksRedis() {
        for (TestClient api : List.of(api1, api2)) {
            JsonNode ready = api.get("/health/ready", null).expect(200).json();
            assertThat(ready.path("status").asString()).isEqualTo("UP");
            assertThat(ready.path("components").path("redis").path("status").asString())
                    .isEqualTo("UP");
        }
    }

    @Test
    void subscriptionsComeBackWhenTheConnectionToRedisDrops() {
        TestClient.User alice = api1.register("multi");
        TestClient.User bob = api1.register("multi");
        UUID direct = new Chat(api1).direct(alice, bob);
        try (WsClient b2 = WsClient.connect(api2, bob)) {
            SendRun.awaitDevices(api1, alice, bob, 1);
            UUID before = new Chat(api1).sendOk(alice, direct, "before");
            b2.await(
                    "message.new",
                    m -> m.path("message").path("message_id").asString().equals(before.toString()));

            // Drop every subscriber connection of this run (both nodes'): Lettuce reconnects by itself.
            RedisClient admin = RedisClient.create(RedisAvailable.URL);
            try (var connection = admin.connect()) {
                var redis = connection.sync();
                long killed = redis.clientList()
                        .lines()
                        .filter(line -> line.contains(" name=" + prefix + " ") && !line.contains(" sub=0 "))
                        .map(line -> Long.parseLong(line.substring(3, line.indexOf(' '))))
                        .filter(id -> redis.clientKill(KillArgs.Builder.id(id)) > 0)
                        .count();
                assertThat(killed).isEqualTo(2);
            } finally {
                admin.shutdown();
            }

            // Messages sent while the subscription is away may be missed (clients catch up by seq); once it is
            // back, they arrive again.
            int seen = b2.received("message.new").size();
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        new Chat(api1).sendOk(alice, direct, "after");
                        return b2.received("message.new").size() > seen;
                    });
        }
    }
}
