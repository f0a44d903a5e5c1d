package dev.parley.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.attachment.Uploads;
import dev.parley.attachment.image.TestImages;
import dev.parley.storage.ObjectStorage;
import dev.parley.support.ApiTest;
import dev.parley.support.Chat;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Account deletion through the public API: access ends at once, then the background erasure leaves the database
 * and the store with none of the user's content while everyone else's stays.
 */
class AccountDeletionApiTest extends ApiTest {

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private ObjectStorage storage;

    private static String word(String prefix) {
        return prefix + Long.toString(System.nanoTime(), 36).replaceAll("[0-9]", "q");
    }

    @Test
    void deletionEndsAccessAtOnceAndErasesEverythingOfTheUserButNothingOfOthers() throws Exception {
        TestClient.User alice = api.register("del");
        TestClient.User bob = api.register("dbob");
        TestClient.User carol = api.register("dcarol");
        String aliceWord = word("zyxalice");
        String bobWord = word("zyxbob");
        UUID direct = chat.direct(alice, bob);
        UUID group = chat.group(alice, "erasure club", bob, carol);
        for (int i = 0; i < 5; i++) {
            chat.sendOk(alice, direct, "secret " + aliceWord + " number " + i);
            chat.sendOk(alice, group, "group " + aliceWord + " " + i);
        }
        UUID bobsMessage = chat.sendOk(bob, group, "hello from " + bobWord);
        api.post("/api/v1/messages/" + bobsMessage + "/reactions", alice.token(), Map.of("emoji", "👍"))
                .expect(201);
        Uploads uploads = new Uploads(api);
        JsonNode image = uploads.upload(alice, "mine.png", "image/png", TestImages.png(TestImages.photo(64, 48, 3)));
        uploads.sendImage(alice, group, image.path("attachment_id").asString(), "caption " + aliceWord, null)
                .expect(201);
        api.put("/api/v1/users/me/keys", alice.token(), Map.of()).expect(400);
        List<String> objectKeys = new ArrayList<>();
        jdbc.sql("SELECT storage_key, thumbnail_key FROM message_attachments WHERE uploader_id = :u")
                .param("u", alice.id())
                .query((rs, i) -> {
                    objectKeys.add(rs.getString(1));
                    objectKeys.add(rs.getString(2));
                    return 1;
                })
                .list();
        objectKeys.removeIf(Objects::isNull);
        assertThat(objectKeys).isNotEmpty();
        objectKeys.forEach(key -> assertThat(storage.size(key)).as(key).isPresent());
        Chat.eventually(() -> assertThat(chat.search(bob, null, aliceWord)).isNotEmpty());

        try (WsClient aliceDevice = WsClient.connect(api, alice)) {
            api.send("DELETE", "/api/v1/users/me", alice.token(), Map.of("password", "wrong password"))
                    .expectError(403, "FORBIDDEN");
            api.send("DELETE", "/api/v1/users/me", alice.token(), Map.of()).expectError(400, "VALIDATION_FAILED");
            api.send("DELETE", "/api/v1/users/me", alice.token(), Map.of("password", "correct horse"))
                    .expect(204);
            assertThat(aliceDevice.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(4003);
        }
        api.get("/api/v1/users/me", alice.token()).expectError(401, "UNAUTHORIZED");
        api.post("/api/v1/auth/login", null, Map.of("username", alice.username(), "password", "correct horse"))
                .expect(401);
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", alice.refreshToken()))
                .expect(401);

        // The profile reads as deleted at once.
        JsonNode seen =
                api.get("/api/v1/users/" + alice.id(), bob.token()).expect(200).json();
        assertThat(seen.path("username").isNull()).isTrue();
        assertThat(seen.path("display_name").asString()).isEqualTo("Deleted user");
        assertThat(seen.path("profile_photo_url").isNull()).isTrue();
        assertThat(seen.path("is_deleted").asBoolean()).isTrue();
        // Other users do not carry the flag.
        assertThat(api.get("/api/v1/users/" + bob.id(), carol.token())
                        .expect(200)
                        .json()
                        .has("is_deleted"))
                .isFalse();

        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("SELECT completed_at IS NOT NULL FROM account_deletions WHERE user_id = :u")
                        .param("u", alice.id())
                        .query(Boolean.class)
                        .optional()
                        .orElse(false));

        // Nothing of Alice's content anywhere: messages, search index, catch-up log, audit log.
        String like = "%" + aliceWord + "%";
        assertThat(count("SELECT count(*) FROM messages WHERE content LIKE :w OR metadata::text LIKE :w", like))
                .isZero();
        assertThat(count("SELECT count(*) FROM message_search WHERE tsv @@ plainto_tsquery('english', :w)", aliceWord))
                .isZero();
        assertThat(count("SELECT count(*) FROM events WHERE data::text LIKE :w", like))
                .isZero();
        assertThat(count("SELECT count(*) FROM audit_log WHERE details LIKE :w", like))
                .isZero();
        assertThat(count("SELECT count(*) FROM users WHERE username = :w OR display_name LIKE :w", alice.username()))
                .isZero();
        assertThat(count(
                        "SELECT count(*) FROM message_reactions WHERE user_id = CAST(:w AS uuid)",
                        alice.id().toString()))
                .isZero();
        assertThat(count(
                        "SELECT count(*) FROM sessions WHERE user_id = CAST(:w AS uuid)",
                        alice.id().toString()))
                .isZero();
        assertThat(chat.search(bob, null, aliceWord)).isEmpty();
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> objectKeys.forEach(
                        key -> assertThat(storage.size(key)).as(key).isEmpty()));

        // Bob's message stays, Alice's are tombstones, and she left the group.
        JsonNode groupHistory = chat.history(bob, group);
        assertThat(groupHistory.toString()).contains(bobWord).doesNotContain(aliceWord);
        int tombstones = 0;
        for (JsonNode m : chat.history(bob, direct)) {
            if (m.path("sender_id").asString().equals(alice.id().toString())) {
                assertThat(m.path("is_deleted").asBoolean()).isTrue();
                assertThat(m.path("content").isNull()).isTrue();
                assertThat(m.path("sender").path("display_name").asString()).isEqualTo("Deleted user");
                tombstones++;
            }
        }
        assertThat(tombstones).isEqualTo(5);
        assertThat(chat.systemMessages(bob, group, "member_left")).hasSize(1);
        assertThat(chat.conversation(carol, group).path("my_role").asString()).isIn("owner", "admin", "member");
        assertThat(chat.history(bob, group).toString()).contains("is now the owner");
        assertThat(api.get("/api/v1/messages/" + bobsMessage, bob.token())
                        .expect(200)
                        .json()
                        .path("reactions")
                        .size())
                .isZero();
        assertThat(api.get("/api/v1/users?query=" + alice.username(), bob.token())
                        .expect(200)
                        .toString())
                .doesNotContain(alice.id().toString());

        // The username stays taken for the cool-down; the audit log keeps that it happened.
        api.post("/api/v1/auth/register", null, Map.of("username", alice.username(), "password", "another one"))
                .expectError(409, "CONFLICT");
        assertThat(count(
                        "SELECT count(*) FROM audit_log WHERE target_id = :w AND action IN "
                                + "('account_deleted', 'account_erased')",
                        alice.id().toString()))
                .isEqualTo(2);
    }

    @Test
    void aDeletedAccountsErasureCanRunAgainSafely() {
        TestClient.User alice = api.register("dagain");
        TestClient.User bob = api.register("dagainb");
        UUID direct = chat.direct(alice, bob);
        chat.sendOk(alice, direct, "once");
        chat.sendOk(bob, direct, "bob stays");
        api.send("DELETE", "/api/v1/users/me", alice.token(), Map.of("password", "correct horse"))
                .expect(204);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> completed(alice.id()));
        // As if an operator (or a node that crashed after the last batch) started it over.
        jdbc.sql("UPDATE account_deletions SET completed_at = NULL WHERE user_id = :u")
                .param("u", alice.id())
                .update();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> completed(alice.id()));
        assertThat(chat.history(bob, direct).toString()).contains("bob stays").doesNotContain("\"once\"");
        assertThat(api.get("/api/v1/users/" + alice.id(), bob.token())
                        .expect(200)
                        .json()
                        .path("display_name")
                        .asString())
                .isEqualTo("Deleted user");
    }

    private boolean completed(UUID user) {
        return jdbc.sql("SELECT completed_at IS NOT NULL FROM account_deletions WHERE user_id = :u")
                .param("u", user)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    private long count(String sql, String value) {
        return jdbc.sql(sql).param("w", value).query(Long.class).single();
    }
}
