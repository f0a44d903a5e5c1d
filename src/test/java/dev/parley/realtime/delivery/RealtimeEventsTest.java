package dev.parley.realtime.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every server event reaches the participants' devices, and nobody else's. */
class RealtimeEventsTest extends ApiTest {

    @Test
    void everyEventTypeReachesTheParticipantsAndNoOutsider() {
        TestClient.User alice = api.register("wsev");
        TestClient.User bob = api.register("wsev");
        TestClient.User carol = api.register("wsev");
        TestClient.User dave = api.register("wsev");
        TestClient.User eve = api.register("wsev");
        UUID group = chat.group(alice, "events", bob, carol);
        String cid = group.toString();
        try (WsClient a = WsClient.connect(api, alice);
                WsClient b = WsClient.connect(api, bob);
                WsClient c = WsClient.connect(api, carol);
                WsClient d = WsClient.connect(api, dave);
                WsClient e = WsClient.connect(api, eve)) {
            List<WsClient> members = List.of(a, b, c);

            UUID message = chat.sendOk(alice, group, "first");
            for (WsClient device : members) {
                JsonNode event = device.await(
                        "message.new",
                        m -> m.path("message").path("message_id").asString().equals(message.toString()));
                assertThat(event.path("conversation_id").asString()).isEqualTo(cid);
            }

            api.patch("/api/v1/messages/" + message, alice.token(), Map.of("content", "first, edited"))
                    .expect(200);
            for (WsClient device : members) {
                JsonNode event = device.await("message.updated");
                assertThat(event.path("conversation_id").asString()).isEqualTo(cid);
                assertThat(event.path("message").path("content").asString()).isEqualTo("first, edited");
                assertThat(event.path("message").path("is_edited").asBoolean()).isTrue();
                assertThat(event.path("message").path("seq").asLong()).isPositive();
            }

            api.post("/api/v1/messages/" + message + "/reactions", bob.token(), Map.of("emoji", "👍"))
                    .expect(201);
            api.delete(
                            "/api/v1/messages/" + message + "/reactions/"
                                    + URLEncoder.encode("👍", StandardCharsets.UTF_8),
                            bob.token())
                    .expect(204);
            for (WsClient device : members) {
                device.await(
                        "message.reaction",
                        r -> "removed".equals(r.path("action").asString()));
                List<JsonNode> reactions = device.received("message.reaction");
                assertThat(reactions).hasSize(2);
                assertThat(reactions.get(0).path("action").asString()).isEqualTo("added");
                assertThat(reactions.get(0).path("emoji").asString()).isEqualTo("👍");
                assertThat(reactions.get(0).path("user_id").asString())
                        .isEqualTo(bob.id().toString());
                assertThat(reactions.get(0).path("message_id").asString()).isEqualTo(message.toString());
                assertThat(reactions.get(0).path("conversation_id").asString()).isEqualTo(cid);
            }

            b.send("message.read", Map.of("message_id", message.toString()));
            for (WsClient device : List.of(a, c)) {
                JsonNode receipt = device.await("receipt.updated");
                assertThat(receipt.path("conversation_id").asString()).isEqualTo(cid);
                assertThat(receipt.path("user_id").asString())
                        .isEqualTo(bob.id().toString());
                assertThat(receipt.path("last_read_seq").asLong())
                        .isEqualTo(receipt.path("last_delivered_seq").asLong())
                        .isPositive();
            }

            b.send("typing.start", Map.of("conversation_id", cid));
            JsonNode typing = a.await("typing.indicator");
            assertThat(typing.path("conversation_id").asString()).isEqualTo(cid);
            assertThat(typing.path("user_id").asString()).isEqualTo(bob.id().toString());
            assertThat(typing.path("username").asString()).isEqualTo(bob.username());
            assertThat(typing.path("is_typing").asBoolean()).isTrue();
            b.send("typing.stop", Map.of("conversation_id", cid));
            c.await("typing.indicator", t -> !t.path("is_typing").asBoolean());
            // REST typing and "sending ends typing" announce themselves the same way.
            api.post("/api/v1/conversations/" + group + "/typing", carol.token(), null)
                    .expect(200);
            chat.sendOk(carol, group, "done typing");
            a.await(
                    "typing.indicator",
                    t -> t.path("user_id").asString().equals(carol.id().toString())
                            && !t.path("is_typing").asBoolean());

            api.delete("/api/v1/messages/" + message, alice.token()).expect(204);
            for (WsClient device : members) {
                JsonNode deleted = device.await("message.deleted");
                assertThat(deleted.path("conversation_id").asString()).isEqualTo(cid);
                assertThat(deleted.path("message_id").asString()).isEqualTo(message.toString());
                assertThat(deleted.path("seq").asLong()).isPositive();
            }

            api.patch("/api/v1/conversations/" + group, alice.token(), Map.of("name", "renamed"))
                    .expect(200);
            for (WsClient device : members) {
                assertThat(device.await("conversation.updated").path("name").asString())
                        .isEqualTo("renamed");
                device.await("message.new", m -> "group_renamed".equals(action(m)));
            }

            api.post(
                            "/api/v1/conversations/" + group + "/participants",
                            alice.token(),
                            Map.of("user_ids", List.of(dave.id().toString())))
                    .expect(200);
            for (WsClient device : List.of(a, b, c, d)) {
                JsonNode added = device.await("participant.added");
                assertThat(added.path("conversation_id").asString()).isEqualTo(cid);
                assertThat(added.path("user").path("user_id").asString())
                        .isEqualTo(dave.id().toString());
                device.await("message.new", m -> "member_added".equals(action(m)));
            }

            api.delete("/api/v1/conversations/" + group + "/participants/" + carol.id(), alice.token())
                    .expect(204);
            for (WsClient device : List.of(a, b, c, d)) {
                JsonNode removed = device.await("participant.removed");
                assertThat(removed.path("conversation_id").asString()).isEqualTo(cid);
                assertThat(removed.path("user_id").asString())
                        .isEqualTo(carol.id().toString());
            }
            d.await("message.new", m -> "member_removed".equals(action(m)));
            UUID after = chat.sendOk(bob, group, "carol is gone");
            a.await(
                    "message.new",
                    m -> m.path("message").path("message_id").asString().equals(after.toString()));
            d.await(
                    "message.new",
                    m -> m.path("message").path("message_id").asString().equals(after.toString()));
            // The removed member and the outsider: whatever was queued for them has arrived before their pong.
            for (WsClient device : List.of(c, e)) {
                device.send("ping", Map.of());
                device.await("pong");
            }
            assertThat(c.find("message.new", m -> "member_removed".equals(action(m))))
                    .isEmpty();
            assertThat(c.find(
                            "message.new",
                            m -> m.path("message").path("message_id").asString().equals(after.toString())))
                    .isEmpty();
            assertThat(e.frames()).extracting(f -> f.path("type").asString()).containsOnly("pong");
        }
    }

    @Test
    void aBlockingMemberGetsNeitherTheBlockedUsersMessagesNorTheirTyping() {
        TestClient.User alice = api.register("wsblk");
        TestClient.User bob = api.register("wsblk");
        TestClient.User carol = api.register("wsblk");
        UUID group = chat.group(alice, "blocks", bob, carol);
        chat.block(carol, alice);
        try (WsClient a = WsClient.connect(api, alice);
                WsClient b = WsClient.connect(api, bob);
                WsClient c = WsClient.connect(api, carol)) {
            a.send("typing.start", Map.of("conversation_id", group.toString()));
            b.await("typing.indicator");
            UUID fromAlice = chat.sendOk(alice, group, "carol will not see this");
            b.await(
                    "message.new",
                    m -> m.path("message").path("message_id").asString().equals(fromAlice.toString()));
            UUID fromBob = chat.sendOk(bob, group, "carol sees this");
            c.await(
                    "message.new",
                    m -> m.path("message").path("message_id").asString().equals(fromBob.toString()));
            assertThat(c.received("message.new")).hasSize(1);
            assertThat(c.received("typing.indicator")).isEmpty();

            api.delete("/api/v1/users/" + alice.id() + "/block", carol.token()).expect(204);
            UUID afterUnblock = chat.sendOk(alice, group, "visible again");
            c.await(
                    "message.new",
                    m -> m.path("message").path("message_id").asString().equals(afterUnblock.toString()));
        }
    }

    private static String action(JsonNode messageNew) {
        return messageNew.path("message").path("metadata").path("action").asString();
    }
}
