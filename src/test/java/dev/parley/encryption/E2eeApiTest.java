package dev.parley.encryption;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.Chat;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** End-to-end encrypted conversations and the key directory, through the public API and the socket. */
class E2eeApiTest extends ApiTest {

    private UUID encryptedDirect(TestClient.User a, TestClient.User b) {
        TestClient.Resp created = api.post(
                        "/api/v1/conversations",
                        a.token(),
                        Map.of("type", "direct", "participant_ids", List.of(b.id().toString()), "e2ee", true))
                .expect(201);
        assertThat(created.json().path("e2ee").asBoolean()).isTrue();
        return created.id("conversation_id");
    }

    private TestClient.Resp sendSealed(TestClient.User from, UUID conversation, E2eeClient.Sealed sealed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "text");
        body.put("content", sealed.content());
        body.put("metadata", Map.of("e2ee", sealed.headers()));
        return api.post("/api/v1/conversations/" + conversation + "/messages", from.token(), body);
    }

    @Test
    void theOtherParticipantDecryptsWhatArrivesOverTheSocketByteForByte() throws Exception {
        TestClient.User alice = api.register("e2a");
        TestClient.User bob = api.register("e2b");
        E2eeClient bobKeys = new E2eeClient();
        assertThat(api.put("/api/v1/users/me/keys", bob.token(), bobKeys.upload(3))
                        .expect(200)
                        .json()
                        .path("one_time_prekeys")
                        .asLong())
                .isEqualTo(3);
        UUID plain = chat.direct(alice, bob);
        UUID conversation = encryptedDirect(alice, bob);
        assertThat(conversation)
                .as("the pair's encrypted chat is a conversation of its own")
                .isNotEqualTo(plain);
        // Asked again, the pair's encrypted conversation is the same one.
        assertThat(api.post(
                                "/api/v1/conversations",
                                bob.token(),
                                Map.of(
                                        "type",
                                        "direct",
                                        "participant_ids",
                                        List.of(alice.id().toString()),
                                        "e2ee",
                                        true))
                        .expect(200)
                        .id("conversation_id"))
                .isEqualTo(conversation);

        try (WsClient bobDevice = WsClient.connect(api, bob)) {
            JsonNode bundle = api.get("/api/v1/users/" + bob.id() + "/keys", alice.token())
                    .expect(200)
                    .json();
            E2eeClient.Sealed sealed = E2eeClient.seal(bundle, "meet me at the lighthouse at nine");
            TestClient.Resp sent = sendSealed(alice, conversation, sealed).expect(201);
            assertThat(sent.text("content")).isEqualTo(sealed.content());
            String messageId = sent.text("message_id");

            JsonNode frame = bobDevice.await(
                    "message.new",
                    data -> data.path("message").path("message_id").asString().equals(messageId));
            JsonNode message = frame.path("message");
            assertThat(message.path("content").asString()).isEqualTo(sealed.content());
            assertThat(bobKeys.open(
                            message.path("content").asString(),
                            message.path("metadata").path("e2ee")))
                    .isEqualTo("meet me at the lighthouse at nine");
        }
        JsonNode stored = chat.history(bob, conversation).get(0);
        assertThat(stored.path("content").asString())
                .isEqualTo(
                        api.get("/api/v1/messages/" + stored.path("message_id").asString(), alice.token())
                                .expect(200)
                                .text("content"));
        assertThat(api.get("/api/v1/users/me/keys/count", bob.token())
                        .expect(200)
                        .json()
                        .path("one_time_prekeys")
                        .asLong())
                .isEqualTo(2);
    }

    @Test
    void searchIsRefusedInsideAndGlobalSearchLeavesItOut() {
        TestClient.User alice = api.register("e2s");
        TestClient.User bob = api.register("e2t");
        UUID encrypted = encryptedDirect(alice, bob);
        UUID plain = chat.direct(alice, bob);
        // Letters and digits only, a multiple of four long: valid base64, and one word to the search index.
        StringBuilder word = new StringBuilder("Zm9v" + Long.toString(System.nanoTime(), 36));
        while (word.length() % 4 != 0) {
            word.append('A');
        }
        String content = word.toString();
        // The same opaque word in both: the plain one is found, the encrypted one never.
        chat.sendOk(alice, encrypted, content);
        chat.sendOk(alice, plain, content);
        api.get("/api/v1/conversations/" + encrypted + "/messages/search?q=anything", alice.token())
                .expectError(422, "SEARCH_UNAVAILABLE");
        Chat.eventually(
                () -> assertThat(chat.search(alice, null, content).size()).isEqualTo(1));
        assertThat(chat.search(alice, null, content)
                        .get(0)
                        .path("conversation_id")
                        .asString())
                .isEqualTo(plain.toString());
        // A stranger learns nothing: 404 before the refusal.
        TestClient.User eve = api.register("e2e");
        api.get("/api/v1/conversations/" + encrypted + "/messages/search?q=x", eve.token())
                .expectError(404, "CONVERSATION_NOT_FOUND");
    }

    @Test
    void contentMustBeBase64AndIsNotHeldToTheTextLimit() {
        TestClient.User alice = api.register("e2c");
        TestClient.User bob = api.register("e2d");
        UUID conversation = encryptedDirect(alice, bob);
        chat.send(alice, conversation, "not base64 at all!").expectError(400, "VALIDATION_FAILED");
        // 6,000 characters of ciphertext: over the 4,000-character text limit, fine here.
        String big = Base64.getEncoder().encodeToString(new byte[4500]);
        assertThat(chat.send(alice, conversation, big).expect(201).text("content"))
                .isEqualTo(big);
        api.post(
                        "/api/v1/conversations/" + conversation + "/messages",
                        alice.token(),
                        Map.of(
                                "type",
                                "image",
                                "attachment_id",
                                UUID.randomUUID().toString()))
                .expectError(400, "VALIDATION_FAILED");
    }

    @Test
    void aSignatureThatDoesNotVerifyIsRefused() throws Exception {
        TestClient.User bob = api.register("e2f");
        E2eeClient keys = new E2eeClient();
        Map<String, Object> body = new LinkedHashMap<>(keys.upload(1));
        byte[] wrong = keys.sign("something else".getBytes());
        @SuppressWarnings("unchecked")
        Map<String, Object> spk = new LinkedHashMap<>((Map<String, Object>) body.get("signed_prekey"));
        spk.put("signature", E2eeClient.b64(wrong));
        body.put("signed_prekey", spk);
        api.put("/api/v1/users/me/keys", bob.token(), body).expectError(400, "VALIDATION_FAILED");
        body.put("signed_prekey", Map.of("key_id", 1, "public_key", "AAAA", "signature", "AAAA"));
        api.put("/api/v1/users/me/keys", bob.token(), body).expectError(400, "VALIDATION_FAILED");
        Map<String, Object> tooMany = new LinkedHashMap<>(keys.upload(101));
        api.put("/api/v1/users/me/keys", bob.token(), tooMany).expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/users/" + bob.id() + "/keys", bob.token()).expectError(404, "USER_NOT_FOUND");
    }

    @Test
    void eachOneTimePrekeyIsHandedOutOnceUnderConcurrentClaims() throws Exception {
        TestClient.User bob = api.register("e2g");
        E2eeClient keys = new E2eeClient();
        api.put("/api/v1/users/me/keys", bob.token(), keys.upload(20)).expect(200);
        List<TestClient.User> claimers = List.of(api.register("e2h"), api.register("e2i"), api.register("e2j"));
        List<Callable<TestClient.Resp>> calls = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            TestClient.User claimer = claimers.get(i % claimers.size());
            calls.add(() -> api.get("/api/v1/users/" + bob.id() + "/keys", claimer.token()));
        }
        List<Integer> handedOut = new ArrayList<>();
        for (TestClient.Resp resp : Chat.inParallel(calls)) {
            JsonNode otk = resp.expect(200).json().path("one_time_prekey");
            if (!otk.isMissingNode() && !otk.isNull()) {
                handedOut.add(otk.path("key_id").asInt());
            }
        }
        Set<Integer> distinct = new HashSet<>(handedOut);
        assertThat(handedOut).hasSize(20);
        assertThat(distinct).hasSize(20);
        assertThat(api.get("/api/v1/users/me/keys/count", bob.token())
                        .expect(200)
                        .json()
                        .path("one_time_prekeys")
                        .asLong())
                .isZero();
        // A refill: one-time prekeys only, the identity stays.
        api.put("/api/v1/users/me/keys", bob.token(), Map.of("one_time_prekeys", keys.morePrekeys(5)))
                .expect(200);
        assertThat(api.get("/api/v1/users/me/keys/count", bob.token())
                        .expect(200)
                        .json()
                        .path("one_time_prekeys")
                        .asLong())
                .isEqualTo(5);
    }
}
