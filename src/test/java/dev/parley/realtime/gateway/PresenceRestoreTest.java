package dev.parley.realtime.gateway;

import static org.awaitility.Awaitility.await;

import dev.parley.support.Chat;
import dev.parley.support.RedisServer;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Presence lives in Redis; when Redis loses it (flushed, or restarted empty) a node registers its connected devices
 * again by itself, each as it was (online or away), instead of showing them offline until their next refresh. The
 * node's heartbeat interval is set far beyond the test, so no refresh from traffic can do it instead.
 */
class PresenceRestoreTest {

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void connectedDevicesAreRegisteredAgainAfterRedisLosesPresence() {
        RedisServer redis = RedisServer.start();
        ConfigurableApplicationContext node = null;
        try {
            node = SendRun.startNode(
                    "--spring.data.redis.url=" + redis.url(),
                    "--parley.redis.prefix=parley-presence-" + UUID.randomUUID(),
                    "--parley.realtime.heartbeat-interval=10m",
                    "--parley.realtime.idle-timeout=20m");
            TestClient api = SendRun.client(node);
            TestClient.User alice = api.register("prest");
            TestClient.User bob = api.register("prest");
            TestClient.User carol = api.register("prest");
            // Presence is shown to those who share a conversation.
            new Chat(api).group(alice, "presence", bob, carol);
            try (WsClient bobPhone = WsClient.connect(api, bob);
                    WsClient carolPhone = WsClient.connect(api, carol)) {
                carolPhone.send("presence.heartbeat", Map.of("status", "away"));
                awaitPresence(api, alice, bob, "online");
                awaitPresence(api, alice, carol, "away");

                // Flushed while connected: the node notices its marker gone and registers both devices again.
                redis.flushAll();
                awaitPresence(api, alice, bob, "online");
                awaitPresence(api, alice, carol, "away");

                // Killed: presence cannot be read meanwhile, which is a 503, not a guess (nor a 500).
                redis.kill();
                await().atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> api.get("/api/v1/users/" + bob.id() + "/presence", alice.token())
                                        .status()
                                == 503);
                api.get("/api/v1/users/" + bob.id() + "/presence", alice.token())
                        .expectError(503, "SERVICE_UNAVAILABLE");
                // Started again empty: registered again once the connection is back.
                redis.restart();
                awaitPresence(api, alice, bob, "online");
                awaitPresence(api, alice, carol, "away");
            }
        } finally {
            try {
                if (node != null) {
                    node.close();
                }
            } finally {
                redis.close();
            }
        }
    }

    /** Waits until {@code user} shows {@code status} with one device; a flushed store shows offline with none. */
    private static void awaitPresence(TestClient api, TestClient.User asker, TestClient.User user, String status) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    TestClient.Resp resp = api.get("/api/v1/users/" + user.id() + "/presence", asker.token());
                    if (resp.status() != 200) {
                        return false;
                    }
                    JsonNode presence = resp.json();
                    return status.equals(presence.path("status").asString())
                            && presence.path("device_count").asInt() == 1;
                });
    }
}
