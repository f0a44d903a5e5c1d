package dev.parley.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ModerationApiTest;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The admin API: who may use it (a configured username, registered after start-up; a role granted by another
 * admin), suspensions ending access at once and login refused until unsuspended, admin deletes, and the audit
 * entries every act leaves.
 */
class AdminApiTest extends ModerationApiTest {

    private static final Duration SOON = Duration.ofSeconds(10);

    @Autowired
    private JdbcClient jdbc;

    @Test
    void everyAdminEndpointIsForbiddenToMembers() {
        TestClient.User member = api.register("member");
        TestClient.User other = api.register("other");
        UUID conversation = chat.direct(member, other);
        UUID message = chat.sendOk(other, conversation, "hello");
        UUID someReport = UUID.randomUUID();
        for (String[] call : new String[][] {
            {"GET", "/reports"},
            {"GET", "/reports/" + someReport},
            {"POST", "/reports/" + someReport + "/resolve"},
            {"GET", "/users/" + other.id()},
            {"POST", "/users/" + other.id() + "/suspend"},
            {"POST", "/users/" + other.id() + "/unsuspend"},
            {"POST", "/users/" + member.id() + "/admin"},
            {"DELETE", "/users/" + other.id() + "/admin"},
            {"DELETE", "/messages/" + message},
            {"GET", "/audit"},
            {"GET", "/audit/verify"}
        }) {
            Object body = call[0].equals("POST") ? Map.of("reason", "spam", "action", "dismiss") : null;
            api.send(call[0], "/api/v1/admin" + call[1], member.token(), body).expectError(403, "FORBIDDEN");
        }
        // Nothing happened: the message is still there.
        assertThat(chat.history(member, conversation).get(0).path("is_deleted").asBoolean())
                .isFalse();
    }

    @Test
    void aConfiguredUsernameIsAnAdminEvenWhenRegisteredAfterStartUp() {
        TestClient.User admin = admin();
        JsonNode me = api.get("/api/v1/admin/users/" + admin.id(), admin.token())
                .expect(200)
                .json();
        assertThat(me.path("role").asString()).isEqualTo("admin");
        assertThat(me.path("admin_sources").toString()).contains("configured");
        // The contract's user object shows no role.
        assertThat(api.get("/api/v1/users/me", admin.token()).expect(200).json().has("role"))
                .isFalse();
    }

    @Test
    void anAdminGrantsAndWithdrawsTheRole() {
        TestClient.User admin = admin();
        TestClient.User helper = api.register("helper");
        api.get("/api/v1/admin/audit", helper.token()).expectError(403, "FORBIDDEN");

        JsonNode granted = api.post("/api/v1/admin/users/" + helper.id() + "/admin", admin.token(), null)
                .expect(200)
                .json();
        assertThat(granted.path("role").asString()).isEqualTo("admin");
        api.get("/api/v1/admin/audit", helper.token()).expect(200);

        api.delete("/api/v1/admin/users/" + helper.id() + "/admin", admin.token())
                .expect(200);
        api.get("/api/v1/admin/audit", helper.token()).expectError(403, "FORBIDDEN");
        // An admin by configuration stays one: withdrawing is refused.
        api.delete("/api/v1/admin/users/" + admin.id() + "/admin", admin.token())
                .expectError(409, "CONFLICT");

        JsonNode entries = api.get("/api/v1/admin/audit?target=" + helper.id(), admin.token())
                .expect(200)
                .json()
                .path("entries");
        assertThat(entries.findValuesAsString("action")).containsExactly("admin_revoked", "admin_granted");
        assertThat(entries.get(0).path("actor_id").asString())
                .isEqualTo(admin.id().toString());
    }

    @Test
    void aSuspensionEndsTheLiveSocketRefusesLoginAndRefreshAndUnsuspendingRestores() {
        TestClient.User admin = admin();
        TestClient.User user = api.register("suspended");
        try (WsClient socket = WsClient.connect(api, user)) {
            socket.send("ping", Map.of());
            socket.await("pong");
            Instant until = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
            api.post(
                            "/api/v1/admin/users/" + user.id() + "/suspend",
                            admin.token(),
                            Map.of("until", until.toString(), "reason", "spamming"))
                    .expect(204);

            assertThat(socket.closeCode()).succeedsWithin(SOON).isEqualTo(4003);
            api.get("/api/v1/users/me", user.token()).expectError(401, "UNAUTHORIZED");
            JsonNode refused = api.post(
                            "/api/v1/auth/login",
                            null,
                            Map.of("username", user.username(), "password", "correct horse"))
                    .expectError(403, "ACCOUNT_SUSPENDED")
                    .json();
            assertThat(Instant.parse(refused.path("details").path("until").asString()))
                    .isEqualTo(until);
            api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", user.refreshToken()))
                    .expectError(403, "ACCOUNT_SUSPENDED");
        }
        JsonNode seen = api.get("/api/v1/admin/users/" + user.id(), admin.token())
                .expect(200)
                .json();
        assertThat(seen.path("is_suspended").asBoolean()).isTrue();
        assertThat(seen.path("suspension_reason").asString()).isEqualTo("spamming");

        api.post("/api/v1/admin/users/" + user.id() + "/unsuspend", admin.token(), null)
                .expect(204);
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", user.refreshToken()))
                .expect(200);
        api.post("/api/v1/auth/login", null, Map.of("username", user.username(), "password", "correct horse"))
                .expect(200);

        JsonNode entries = api.get("/api/v1/admin/audit?target=" + user.id(), admin.token())
                .expect(200)
                .json()
                .path("entries");
        assertThat(entries.findValuesAsString("action")).contains("user_suspended", "user_unsuspended");
        JsonNode suspension = entries.valueStream()
                .filter(e -> e.path("action").asString().equals("user_suspended"))
                .findFirst()
                .orElseThrow();
        assertThat(suspension.path("details").path("reason").asString()).isEqualTo("spamming");
        assertThat(suspension.path("ip").asString()).isNotEmpty();
    }

    @Test
    void aSuspensionClosesASocketHeldOnAnotherNode() {
        TestClient.User admin = admin();
        TestClient.User user = api.register("elsewhere");
        ConfigurableApplicationContext node2 = SendRun.startNode();
        try (node2;
                WsClient socket = WsClient.connect(SendRun.client(node2), user)) {
            socket.send("ping", Map.of());
            socket.await("pong");
            api.post("/api/v1/admin/users/" + user.id() + "/suspend", admin.token(), Map.of("reason", "spam"))
                    .expect(204);
            // Node 2 learns of it from the revocation feed, which every node tails.
            assertThat(socket.closeCode()).succeedsWithin(SOON).isEqualTo(4003);
        }
    }

    @Test
    void aSuspensionWithoutEndSaysNoUntilAndSelfSuspensionIsRefused() {
        TestClient.User admin = admin();
        TestClient.User user = api.register("forever");
        api.post("/api/v1/admin/users/" + admin.id() + "/suspend", admin.token(), Map.of("reason", "oops"))
                .expectError(400, "VALIDATION_FAILED");
        api.post(
                        "/api/v1/admin/users/" + user.id() + "/suspend",
                        admin.token(),
                        Map.of("reason", "x", "until", "2001-01-01T00:00:00Z"))
                .expectError(400, "VALIDATION_FAILED");
        api.post("/api/v1/admin/users/" + user.id() + "/suspend", admin.token(), Map.of("reason", ""))
                .expectError(400, "VALIDATION_FAILED");
        api.post("/api/v1/admin/users/" + UUID.randomUUID() + "/suspend", admin.token(), Map.of("reason", "x"))
                .expectError(404, "USER_NOT_FOUND");
        api.post("/api/v1/admin/users/" + user.id() + "/suspend", admin.token(), Map.of("reason", "for good"))
                .expect(204);
        JsonNode refused = api.post(
                        "/api/v1/auth/login", null, Map.of("username", user.username(), "password", "correct horse"))
                .expectError(403, "ACCOUNT_SUSPENDED")
                .json();
        assertThat(refused.path("details").has("until")).isFalse();
    }

    @Test
    void anAdminDeletesAnyMessageAsATombstoneThatParticipantsHearOf() {
        TestClient.User admin = admin();
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conversation = chat.direct(alice, bob);
        UUID message = chat.sendOk(alice, conversation, "something awful");
        try (WsClient bobSocket = WsClient.connect(api, bob)) {
            bobSocket.send("ping", Map.of());
            bobSocket.await("pong");
            api.delete("/api/v1/admin/messages/" + message, admin.token()).expect(204);
            bobSocket.await(
                    "message.deleted", d -> d.path("message_id").asString().equals(message.toString()));
        }
        JsonNode tombstone = chat.history(bob, conversation).get(0);
        assertThat(tombstone.path("is_deleted").asBoolean()).isTrue();
        assertThat(tombstone.path("content").isNull()).isTrue();
        assertThat(jdbc.sql("SELECT deleted_by FROM messages WHERE message_id = :id")
                        .param("id", message)
                        .query(UUID.class)
                        .single())
                .isEqualTo(admin.id());
        // Again: nothing more to do, still 204; an unknown message is 404.
        api.delete("/api/v1/admin/messages/" + message, admin.token()).expect(204);
        api.delete("/api/v1/admin/messages/" + UUID.randomUUID(), admin.token()).expectError(404, "MESSAGE_NOT_FOUND");

        JsonNode entries = api.get(
                        "/api/v1/admin/audit?action=message_deleted_by_admin&target=" + message, admin.token())
                .expect(200)
                .json()
                .path("entries");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).path("details").path("conversation_id").asString())
                .isEqualTo(conversation.toString());
        assertThat(entries.get(0).toString()).doesNotContain("something awful");
    }

    @Test
    void theAuditLogIsQueriedAndVerifiedThroughTheApi() {
        TestClient.User admin = admin();
        api.get("/api/v1/admin/audit?action=no_such_action", admin.token()).expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/admin/audit?actor=not-a-uuid", admin.token()).expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/admin/audit?limit=1000", admin.token()).expectError(400, "VALIDATION_FAILED");
        JsonNode logins = api.get("/api/v1/admin/audit?action=login&actor=" + admin.id() + "&limit=1", admin.token())
                .expect(200)
                .json();
        assertThat(logins.path("entries")).hasSizeLessThanOrEqualTo(1);
        JsonNode verified =
                api.get("/api/v1/admin/audit/verify", admin.token()).expect(200).json();
        assertThat(verified.path("ok").asBoolean()).isTrue();
        assertThat(verified.path("entries").asLong()).isPositive();
    }
}
