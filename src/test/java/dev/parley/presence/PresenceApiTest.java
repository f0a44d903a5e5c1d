package dev.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Presence on one node without Redis: transitions, the REST view, and who hears of it. */
class PresenceApiTest extends ApiTest {

    @Test
    void unknownUserIs404() {
        TestClient.User alice = api.register("pres");
        api.get("/api/v1/users/" + UUID.randomUUID() + "/presence", alice.token())
                .expectError(404, "USER_NOT_FOUND");
    }

    @Test
    void aUserNeverSeenIsOffline() {
        TestClient.User alice = api.register("pres");
        TestClient.User bob = api.register("pres");
        chat.direct(alice, bob);
        JsonNode presence = presence(alice, bob);
        assertThat(presence.path("user_id").asString()).isEqualTo(bob.id().toString());
        assertThat(presence.path("status").asString()).isEqualTo("offline");
        assertThat(presence.path("device_count").asInt()).isZero();
        assertThat(presence.path("last_seen_at").isNull()).isTrue();
    }

    @Test
    void devicesMakeTheStatusAndContactsHearOnlyTransitions() {
        TestClient.User alice = api.register("pres");
        TestClient.User bob = api.register("pres");
        TestClient.User outsider = api.register("pres");
        chat.direct(alice, bob);
        try (WsClient a = WsClient.connect(api, alice);
                WsClient o = WsClient.connect(api, outsider)) {
            WsClient phone = WsClient.connect(api, bob);
            JsonNode online = a.await(
                    "presence.updated",
                    p -> p.path("user_id").asString().equals(bob.id().toString()));
            assertThat(online.path("status").asString()).isEqualTo("online");
            assertThat(online.path("last_seen_at").isString()).isTrue();
            assertThat(presence(alice, bob).path("device_count").asInt()).isEqualTo(1);

            WsClient laptop = WsClient.connect(api, bob);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> presence(alice, bob).path("device_count").asInt() == 2);
            assertThat(presence(alice, bob).path("status").asString()).isEqualTo("online");

            // Both devices away: one transition. Heartbeats that change nothing announce nothing.
            phone.send("presence.heartbeat", Map.of("status", "away"));
            laptop.send("presence.heartbeat", Map.of("status", "away"));
            JsonNode away = a.await(
                    "presence.updated", p -> "away".equals(p.path("status").asString()));
            assertThat(away.path("user_id").asString()).isEqualTo(bob.id().toString());
            phone.send("presence.heartbeat", Map.of());
            phone.send("ping", Map.of());
            assertThat(presence(alice, bob).path("status").asString()).isEqualTo("away");

            laptop.close();
            phone.close();
            JsonNode offline = a.await(
                    "presence.updated", p -> "offline".equals(p.path("status").asString()));
            assertThat(offline.path("last_seen_at").isString()).isTrue();
            JsonNode view = presence(alice, bob);
            assertThat(view.path("status").asString()).isEqualTo("offline");
            assertThat(view.path("device_count").asInt()).isZero();
            assertThat(view.path("last_seen_at").isString()).isTrue();

            assertThat(a.received("presence.updated"))
                    .filteredOn(
                            p -> p.path("user_id").asString().equals(bob.id().toString()))
                    .extracting(p -> p.path("status").asString())
                    .containsExactly("online", "away", "offline");
            assertThat(o.received("presence.updated"))
                    .noneMatch(p -> p.path("user_id").asString().equals(bob.id().toString()));
        }
    }

    @Test
    void presenceIsShownOnlyToConversationPartnersNeitherOfWhomBlocked() {
        TestClient.User bob = api.register("presv");
        TestClient.User partner = api.register("presv");
        TestClient.User stranger = api.register("presv");
        TestClient.User blocker = api.register("presv");
        TestClient.User blocked = api.register("presv");
        chat.group(bob, "presence", partner, blocker, blocked);
        chat.block(blocker, bob);
        chat.block(bob, blocked);

        assertThat(presence(partner, bob).path("user_id").asString())
                .isEqualTo(bob.id().toString());
        assertThat(presence(bob, bob).path("user_id").asString())
                .as("oneself")
                .isEqualTo(bob.id().toString());
        String path = "/api/v1/users/" + bob.id() + "/presence";
        api.get(path, stranger.token()).expectError(403, "FORBIDDEN");
        // Who blocked bob, and whom bob blocked, though they share the group.
        api.get(path, blocker.token()).expectError(403, "FORBIDDEN");
        api.get(path, blocked.token()).expectError(403, "FORBIDDEN");
        // Neither blocked side sees the other's: the rule holds both ways.
        api.get("/api/v1/users/" + blocked.id() + "/presence", bob.token()).expectError(403, "FORBIDDEN");
    }

    @Test
    void presenceUpdatesGoNeitherToWhoBlockedTheUserNorToWhomTheyBlocked() {
        TestClient.User bob = api.register("presb");
        TestClient.User partner = api.register("presb");
        TestClient.User blocker = api.register("presb");
        TestClient.User blocked = api.register("presb");
        UUID group = chat.group(partner, "presence events", bob, blocker, blocked);
        chat.block(blocker, bob);
        chat.block(bob, blocked);
        try (WsClient p = WsClient.connect(api, partner);
                WsClient x = WsClient.connect(api, blocker);
                WsClient y = WsClient.connect(api, blocked)) {
            WsClient phone = WsClient.connect(api, bob);
            p.await(
                    "presence.updated",
                    u -> u.path("user_id").asString().equals(bob.id().toString()));
            // Sent after bob's presence: once it arrives, anything announced before it has arrived too.
            UUID later = chat.sendOk(partner, group, "after bob came online");
            for (WsClient other : List.of(x, y)) {
                other.await(
                        "message.new",
                        m -> m.path("message").path("message_id").asString().equals(later.toString()));
                assertThat(other.received("presence.updated"))
                        .noneMatch(u ->
                                u.path("user_id").asString().equals(bob.id().toString()));
            }
            phone.close();
        }
    }

    @Test
    void aBadStatusIsAnErrorFrame() {
        TestClient.User alice = api.register("pres");
        try (WsClient a = WsClient.connect(api, alice)) {
            a.send("presence.heartbeat", Map.of("status", "busy"));
            assertThat(a.await("error").path("code").asString()).isEqualTo("VALIDATION_FAILED");
        }
    }

    private JsonNode presence(TestClient.User caller, TestClient.User of) {
        return api.get("/api/v1/users/" + of.id() + "/presence", caller.token())
                .expect(200)
                .json();
    }
}
