package dev.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.Chat;
import dev.parley.support.TestClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MessageFlowTest extends ApiTest {

    @Test
    void aFirstChat() {
        Chat chat = new Chat(api);
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        var created = api.post(
                        "/api/v1/conversations",
                        alice.token(),
                        Map.of(
                                "type",
                                "direct",
                                "participant_ids",
                                List.of(bob.id().toString())))
                .expect(201);
        UUID conversation = created.id("conversation_id");
        assertThat(created.json().path("participants").size()).isEqualTo(2);
        // Creating it again, from either side, returns the same conversation.
        var again = api.post(
                        "/api/v1/conversations",
                        bob.token(),
                        Map.of(
                                "type",
                                "direct",
                                "participant_ids",
                                List.of(alice.id().toString())))
                .expect(200);
        assertThat(again.id("conversation_id")).isEqualTo(conversation);

        var first = chat.send(alice, conversation, "hello @" + bob.username() + " see https://example.com/x.")
                .expect(201);
        assertThat(first.json().path("seq").asLong()).isEqualTo(1);
        assertThat(first.json().path("sender").path("username").asString()).isEqualTo(alice.username());
        assertThat(first.json().path("metadata").path("mentions").get(0).asString())
                .isEqualTo("@" + bob.username());
        assertThat(first.json().path("metadata").path("links").get(0).asString())
                .isEqualTo("https://example.com/x");
        assertThat(first.text("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        UUID firstId = first.id("message_id");
        var reply = api.post(
                        "/api/v1/conversations/" + conversation + "/messages",
                        bob.token(),
                        Map.of("type", "text", "content", "hi!", "reply_to", firstId.toString()))
                .expect(201);
        assertThat(reply.json().path("seq").asLong()).isEqualTo(2);
        assertThat(reply.json().path("reply_to").path("message_id").asString()).isEqualTo(firstId.toString());

        assertThat(chat.unread(alice, conversation)).isEqualTo(1);
        assertThat(chat.unread(bob, conversation)).isEqualTo(1);

        var list = api.get("/api/v1/conversations", bob.token()).expect(200);
        JsonNode row = list.json().path("conversations").get(0);
        assertThat(row.path("conversation_id").asString()).isEqualTo(conversation.toString());
        assertThat(row.path("last_message").path("content").asString()).isEqualTo("hi!");
        assertThat(row.path("unread_count").asLong()).isEqualTo(1);

        var history = api.get("/api/v1/conversations/" + conversation + "/messages", bob.token())
                .expect(200);
        assertThat(history.json().path("messages").size()).isEqualTo(2);
        assertThat(history.json().path("messages").get(0).path("seq").asLong()).isEqualTo(2);

        api.put("/api/v1/messages/" + firstId + "/read", bob.token(), null).expect(200);
        assertThat(chat.unread(bob, conversation)).isZero();
        var receipts = api.get("/api/v1/messages/" + firstId + "/receipts", alice.token())
                .expect(200);
        assertThat(receipts.json().get(0).path("status").asString()).isEqualTo("read");

        api.post("/api/v1/messages/" + firstId + "/reactions", bob.token(), Map.of("emoji", "👍"))
                .expect(201);
        var got = api.get("/api/v1/messages/" + firstId, alice.token()).expect(200);
        assertThat(got.json().path("reactions").get(0).path("emoji").asString()).isEqualTo("👍");
        assertThat(got.json().path("reactions").get(0).path("reacted_by_me").asBoolean())
                .isFalse();

        api.patch("/api/v1/messages/" + firstId, alice.token(), Map.of("content", "hello, edited"))
                .expect(200);
        api.delete("/api/v1/messages/" + firstId, alice.token()).expect(204);
        var tomb = api.get("/api/v1/messages/" + firstId, bob.token()).expect(200);
        assertThat(tomb.json().path("is_deleted").asBoolean()).isTrue();
        assertThat(tomb.json().path("content").isNull()).isTrue();

        var outsider = api.register("eve");
        api.get("/api/v1/conversations/" + conversation, outsider.token()).expectError(404, "CONVERSATION_NOT_FOUND");
        api.get("/api/v1/messages/" + firstId, outsider.token()).expectError(404, "MESSAGE_NOT_FOUND");
        // Search trails sends by about a second (indexed in the background).
        Chat.eventually(() -> assertThat(api.get("/api/v1/messages/search?q=hi", bob.token())
                        .expect(200)
                        .json()
                        .path("messages")
                        .size())
                .isEqualTo(1));
    }
}
