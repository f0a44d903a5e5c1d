package dev.parley.screening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ModerationApiTest;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The content rules where content enters: message sends (REST and WebSocket) and edits, display names and group
 * names; refusals are 422 CONTENT_REJECTED and audited without the content.
 */
class ScreeningApiTest extends ModerationApiTest {

    @Test
    void sendsAndEditsAreRefusedOrMasked() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conversation = chat.direct(alice, bob);

        JsonNode refused = chat.send(alice, conversation, "you are a b a d w o r d")
                .expectError(422, "CONTENT_REJECTED")
                .json();
        assertThat(refused.path("details").path("reason").asString()).isEqualTo("content_rule");
        assertThat(refused.path("details").path("field").asString()).isEqualTo("content");
        chat.send(alice, conversation, "ＦＲＥＥ ｍｏｎｅｙ here").expectError(422, "CONTENT_REJECTED");
        assertThat(chat.history(bob, conversation)).isEmpty();

        JsonNode masked =
                chat.send(alice, conversation, "well d\u200Darn it").expect(201).json();
        assertThat(masked.path("content").asString()).isEqualTo("well *** it");
        assertThat(chat.history(bob, conversation).get(0).path("content").asString())
                .isEqualTo("well *** it");
        UUID ordinary = chat.sendOk(alice, conversation, "a classic bad word, by a passable bard");

        api.patch("/api/v1/messages/" + ordinary, alice.token(), Map.of("content", "ｂａｄｗｏｒｄ"))
                .expectError(422, "CONTENT_REJECTED");
        JsonNode edited = api.patch("/api/v1/messages/" + ordinary, alice.token(), Map.of("content", "oh DARN"))
                .expect(200)
                .json();
        assertThat(edited.path("content").asString()).isEqualTo("oh ***");
    }

    @Test
    void displayNamesAndGroupNamesAreScreened() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        api.patch("/api/v1/users/me", alice.token(), Map.of("display_name", "Bаdword"))
                .expectError(422, "CONTENT_REJECTED");
        assertThat(api.patch("/api/v1/users/me", alice.token(), Map.of("display_name", "Darn Dan"))
                        .expect(200)
                        .text("display_name"))
                .isEqualTo("*** Dan");

        api.post(
                        "/api/v1/conversations",
                        alice.token(),
                        Map.of("type", "group", "name", "free money club", "participant_ids", new String[] {
                            bob.id().toString()
                        }))
                .expectError(422, "CONTENT_REJECTED");
        JsonNode group = api.post(
                        "/api/v1/conversations",
                        alice.token(),
                        Map.of("type", "group", "name", "darn group", "participant_ids", new String[] {
                            bob.id().toString()
                        }))
                .expect(201)
                .json();
        assertThat(group.path("name").asString()).isEqualTo("*** group");
        api.patch(
                        "/api/v1/conversations/" + group.path("conversation_id").asString(),
                        alice.token(),
                        Map.of("name", "CAS1NO bonus"))
                .expectError(422, "CONTENT_REJECTED");
    }

    @Test
    void aRefusedSocketSendIsAnErrorFrameWithTheSameCode() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conversation = chat.direct(alice, bob);
        try (WsClient socket = WsClient.connect(api, alice)) {
            socket.send(
                    "message.send",
                    Map.of(
                            "conversation_id",
                            conversation.toString(),
                            "type",
                            "text",
                            "content",
                            "b.a.d.w.o.r.d",
                            "client_message_id",
                            "ws-refused"));
            JsonNode error = socket.await(
                    "error", d -> d.path("client_message_id").asString().equals("ws-refused"));
            assertThat(error.path("code").asString()).isEqualTo("CONTENT_REJECTED");
            assertThat(error.path("details").path("reason").asString()).isEqualTo("content_rule");
        }
        assertThat(chat.history(bob, conversation)).isEmpty();
    }

    @Test
    void refusalsAreAuditedWithoutTheContent() {
        TestClient.User admin = admin();
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conversation = chat.direct(alice, bob);
        chat.send(alice, conversation, "BADWORD in caps").expectError(422, "CONTENT_REJECTED");
        JsonNode entries = api.get("/api/v1/admin/audit?action=moderation_refused&actor=" + alice.id(), admin.token())
                .expect(200)
                .json()
                .path("entries");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).path("details").path("source").asString()).isEqualTo("rules");
        assertThat(entries.get(0).path("details").path("field").asString()).isEqualTo("content");
        assertThat(entries.get(0).path("details").path("rule").asInt()).isEqualTo(1);
        assertThat(entries.get(0).toString()).doesNotContainIgnoringCase("badword");
    }
}
