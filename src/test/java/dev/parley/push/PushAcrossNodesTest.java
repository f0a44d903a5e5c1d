package dev.parley.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.Chat;
import dev.parley.support.RedisAvailable;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The rule's "live on any node": two nodes on one PostgreSQL (an embedded one of their own, so that no other
 * context's push worker takes this queue) sharing presence through Redis. Only node A derives and sends pushes
 * (node B has push off), so a member whose only socket is on node B must be seen as live through Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushAcrossNodesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final String prefix = "parley-test-" + UUID.randomUUID();
    private FcmStandIn fcm;
    private ConfigurableApplicationContext nodeA;
    private ConfigurableApplicationContext nodeB;
    private TestClient apiA;
    private TestClient apiB;

    @BeforeAll
    void startNodes() throws Exception {
        RedisAvailable.require();
        fcm = new FcmStandIn(Path.of("target/test-data/push-nodes-standins"));
        nodeA = start(true);
        nodeB = start(false);
        apiA = SendRun.client(nodeA);
        apiB = SendRun.client(nodeB);
    }

    @AfterAll
    void stopNodes() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {nodeB, nodeA, fcm}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    /** A node on the test's own embedded PostgreSQL (in both CI passes) and the Redis on localhost. */
    private ConfigurableApplicationContext start(boolean push) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.data.redis.url=" + RedisAvailable.URL,
                "--parley.redis.prefix=" + prefix,
                "--parley.push.enabled=" + push,
                "--parley.push.interval=50ms"));
        args.addAll(fcm.serverArguments());
        return SendRun.startOwnNode("target/test-data/push-nodes", args.toArray(String[]::new));
    }

    private UUID device(TestClient api, TestClient.User user, String token) {
        return api.post("/api/v1/devices", user.token(), Map.of("platform", "fcm", "token", token))
                .expect(201)
                .id("device_id");
    }

    private List<String> bodies(String token) {
        return fcm.to(token).stream()
                .map(r -> r.message().path("data").path("body").asString())
                .toList();
    }

    @Test
    void aMemberWithASocketOnAnotherNodeIsLiveAndGetsNoPush() {
        TestClient.User alice = apiA.register("nodes_a");
        TestClient.User bob = apiA.register("nodes_b");
        TestClient.User carol = apiA.register("nodes_c");
        UUID group = new Chat(apiA).group(alice, "Across nodes", bob, carol);
        String bobPhone = "nodes-bob-" + UUID.randomUUID();
        String carolPhone = "nodes-carol-" + UUID.randomUUID();
        device(apiA, bob, bobPhone);
        device(apiB, carol, carolPhone);

        try (WsClient bobOnB = WsClient.connect(apiB, bob)) {
            // Node A sees Bob's socket on node B (presence through Redis).
            SendRun.awaitDevices(apiA, alice, bob, 1);
            new Chat(apiA).sendOk(alice, group, "while Bob is on node B");
            // Carol, offline, is the control: once hers is out, Bob's would be too (same log batch).
            await().atMost(WAIT).until(() -> bodies(carolPhone).contains("while Bob is on node B"));
            assertThat(fcm.to(bobPhone)).as("Bob, live on node B").isEmpty();
        }

        // Bob's socket gone, the next message reaches his phone: the silence above was his presence.
        await().atMost(WAIT)
                .until(() -> apiA.get("/api/v1/users/" + bob.id() + "/presence", alice.token())
                        .expect(200)
                        .json()
                        .path("status")
                        .asString()
                        .equals("offline"));
        new Chat(apiA).sendOk(alice, group, "after Bob left");
        await().atMost(WAIT).until(() -> bodies(bobPhone).contains("after Bob left"));
        assertThat(bodies(bobPhone)).containsExactly("after Bob left");
    }
}
