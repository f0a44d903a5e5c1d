package dev.parley.screening;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.HookStandIn;
import dev.parley.support.ModerationApiTest;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The pre-send hook against a stand-in on loopback: signed calls, allow, reject, modify, a slow hook (timeout) and
 * a failing one under both policies (allow here; reject on a second node configured so), for sends, reactions and
 * attachment completion.
 */
class HookApiTest extends ModerationApiTest {

    private static ConfigurableApplicationContext rejectingNode;

    @AfterAll
    static void stopNode() {
        if (rejectingNode != null) {
            rejectingNode.close();
        }
        HOOK.release();
    }

    @Test
    void theHookGetsASignedCallAndItsAllowLetsTheMessageThrough() throws Exception {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conversation = chat.direct(alice, bob);
        int before = HOOK.calls().size();
        chat.sendOk(alice, conversation, "hello hook");
        HookStandIn.Call call = HOOK.calls().subList(before, HOOK.calls().size()).stream()
                .filter(c -> c.body().path("content").asString().equals("hello hook"))
                .findFirst()
                .orElseThrow();
        assertThat(call.body().path("action").asString()).isEqualTo("message.send");
        assertThat(call.body().path("user_id").asString()).isEqualTo(alice.id().toString());
        assertThat(call.body().path("conversation_id").asString()).isEqualTo(conversation.toString());
        assertThat(call.header("Parley-Webhook-Id")).isNotBlank();
        String timestamp = call.header("Parley-Webhook-Timestamp");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("hook-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "v1="
                + HexFormat.of()
                        .formatHex(mac.doFinal((timestamp + "." + call.raw()).getBytes(StandardCharsets.UTF_8)));
        assertThat(call.header("Parley-Webhook-Signature")).isEqualTo(expected);
    }

    @Test
    void rejectRefusesAndModifyReplacesTheContent() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conversation = chat.direct(alice, bob);
        HOOK.answer(body -> body.path("content").asString().contains("link")
                ? HookStandIn.Answer.decision("{\"decision\":\"reject\",\"reason\":\"spam_link\"}")
                : HookStandIn.Answer.decision("{\"decision\":\"modify\",\"content\":\"[edited by the hook]\"}"));
        JsonNode refused = chat.send(alice, conversation, "click this link")
                .expectError(422, "CONTENT_REJECTED")
                .json();
        assertThat(refused.path("details").path("reason").asString()).isEqualTo("spam_link");
        assertThat(chat.history(bob, conversation)).isEmpty();

        JsonNode modified =
                chat.send(alice, conversation, "something").expect(201).json();
        assertThat(modified.path("content").asString()).isEqualTo("[edited by the hook]");
        assertThat(chat.history(bob, conversation).get(0).path("content").asString())
                .isEqualTo("[edited by the hook]");
        UUID message = UUID.fromString(modified.path("message_id").asString());
        JsonNode edited = api.patch("/api/v1/messages/" + message, alice.token(), Map.of("content", "new words"))
                .expect(200)
                .json();
        assertThat(edited.path("content").asString()).isEqualTo("[edited by the hook]");
        assertThat(HOOK.calls().getLast().body().path("action").asString()).isEqualTo("message.edit");
    }

    @Test
    void reactionsAndAttachmentCompletionAskTheHookToo() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conversation = chat.direct(alice, bob);
        UUID message = chat.sendOk(alice, conversation, "react to me");
        HOOK.answer(body -> HookStandIn.Answer.decision("{\"decision\":\"reject\"}"));
        JsonNode refused = api.post("/api/v1/messages/" + message + "/reactions", bob.token(), Map.of("emoji", "👍"))
                .expectError(422, "CONTENT_REJECTED")
                .json();
        assertThat(refused.path("details").path("reason").asString()).isEqualTo("hook");
        assertThat(HOOK.calls().getLast().body().path("action").asString()).isEqualTo("reaction.add");
        assertThat(HOOK.calls().getLast().body().path("emoji").asString()).isEqualTo("👍");

        UUID attachment = api.post(
                        "/api/v1/messages/attachments/upload-url",
                        alice.token(),
                        Map.of("filename", "a.png", "content_type", "image/png", "file_size", 100))
                .expect(200)
                .id("attachment_id");
        api.post("/api/v1/messages/attachments/complete", alice.token(), Map.of("attachment_id", attachment))
                .expectError(422, "CONTENT_REJECTED");
        assertThat(HOOK.calls().getLast().body().path("action").asString()).isEqualTo("attachment.complete");
        assertThat(HOOK.calls().getLast().body().path("attachment_id").asString())
                .isEqualTo(attachment.toString());
    }

    @Test
    void aSlowOrFailingHookLetsContentThroughUnderTheAllowPolicy() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conversation = chat.direct(alice, bob);
        HOOK.answer(body -> new HookStandIn.Answer(0, ""));
        long started = System.nanoTime();
        chat.sendOk(alice, conversation, "the hook is slow");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isBetween(Duration.ofMillis(650), Duration.ofSeconds(5));
        HOOK.release();
        HOOK.answer(body -> new HookStandIn.Answer(500, "{}"));
        chat.sendOk(alice, conversation, "the hook is down");
        HOOK.answer(body -> HookStandIn.Answer.decision("{\"decision\":\"maybe\"}"));
        chat.sendOk(alice, conversation, "the hook talks nonsense");
        assertThat(chat.history(bob, conversation)).hasSize(3);
    }

    @Test
    void aSlowOrFailingHookRefusesContentUnderTheRejectPolicy() {
        rejectingNode = SendRun.startNode(
                "--parley.moderation.hook.url=" + HOOK.url(),
                "--parley.moderation.hook.secret=hook-secret",
                "--parley.moderation.hook.timeout=500ms",
                "--parley.moderation.hook.on-failure=reject");
        TestClient node = SendRun.client(rejectingNode);
        TestClient.User alice = node.register("alice");
        TestClient.User bob = node.register("bob");
        UUID conversation = node.post(
                        "/api/v1/conversations",
                        alice.token(),
                        Map.of("type", "direct", "participant_ids", new String[] {
                            bob.id().toString()
                        }))
                .id("conversation_id");
        String path = "/api/v1/conversations/" + conversation + "/messages";
        node.post(path, alice.token(), Map.of("type", "text", "content", "fine"))
                .expect(201);

        HOOK.answer(body -> new HookStandIn.Answer(0, ""));
        JsonNode slow = node.post(path, alice.token(), Map.of("type", "text", "content", "slow"))
                .expectError(422, "CONTENT_REJECTED")
                .json();
        assertThat(slow.path("details").path("reason").asString()).isEqualTo("moderation_unavailable");
        HOOK.release();
        HOOK.answer(body -> new HookStandIn.Answer(503, ""));
        node.post(path, alice.token(), Map.of("type", "text", "content", "down"))
                .expectError(422, "CONTENT_REJECTED");
        HOOK.allowAll();
        assertThat(node.get(path, bob.token()).expect(200).json().path("messages"))
                .hasSize(1);
    }
}
