package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Sessions through the public API: logout, logout-all, the session list, ending one session, a password change,
 * and a replayed refresh token all end access at once (the very next request is 401, not the token's expiry); a
 * suspended, deleted or removed account is refused on reads and writes alike.
 */
class SessionApiTest extends ApiTest {

    @Autowired
    private JdbcClient jdbc;

    @Test
    void logoutEndsThatSessionsAccessTokensAndRefreshChainAtOnceAndNoOther() {
        TestClient.User phone = api.register("logout");
        TestClient.User laptop = login(phone, "laptop");

        api.post("/api/v1/auth/logout", phone.token(), Map.of("refresh_token", phone.refreshToken()))
                .expect(204);

        api.get("/api/v1/users/me", phone.token()).expectError(401, "UNAUTHORIZED");
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", phone.refreshToken()))
                .expectError(401, "UNAUTHORIZED");
        api.get("/api/v1/users/me", laptop.token()).expect(200);
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", laptop.refreshToken()))
                .expect(200);
    }

    @Test
    void logoutWithSomeoneElsesRefreshTokenChangesNothing() {
        TestClient.User alice = api.register("logout");
        TestClient.User mallory = api.register("logout");
        api.post("/api/v1/auth/logout", mallory.token(), Map.of("refresh_token", alice.refreshToken()))
                .expect(204);
        api.get("/api/v1/users/me", alice.token()).expect(200);
        api.post("/api/v1/auth/logout", null, Map.of("refresh_token", alice.refreshToken()))
                .expectError(401, "UNAUTHORIZED");
    }

    @Test
    void logoutAllEndsEverySessionOfTheCaller() {
        TestClient.User first = api.register("logoutall");
        TestClient.User second = login(first, "second");
        TestClient.User bystander = api.register("logoutall");

        api.post("/api/v1/auth/logout-all", second.token(), null).expect(204);

        api.get("/api/v1/users/me", first.token()).expectError(401, "UNAUTHORIZED");
        api.get("/api/v1/users/me", second.token()).expectError(401, "UNAUTHORIZED");
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", first.refreshToken()))
                .expectError(401, "UNAUTHORIZED");
        api.get("/api/v1/users/me", bystander.token()).expect(200);
        // Signing in again starts a new session.
        api.get("/api/v1/users/me", login(first, "again").token()).expect(200);
    }

    @Test
    void theSessionListShowsLiveSessionsAndOneCanBeEndedButNotSomeoneElses() {
        TestClient.User phone = api.register("sessions");
        TestClient.User laptop = login(phone, "Laptop/1.0 (test)");
        TestClient.User stranger = api.register("sessions");

        JsonNode sessions = api.get("/api/v1/users/me/sessions", phone.token())
                .expect(200)
                .json()
                .path("sessions");
        assertThat(sessions).hasSize(2);
        JsonNode current = find(sessions, true);
        JsonNode other = find(sessions, false);
        assertThat(other.path("user_agent").asString()).isEqualTo("Laptop/1.0 (test)");
        assertThat(current.path("created_at").asString())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(current.has("last_used_at")).isTrue();

        // Another user's session id is "not found", exactly like an unknown one.
        String otherId = other.path("session_id").asString();
        api.delete("/api/v1/users/me/sessions/" + otherId, stranger.token()).expectError(404, "NOT_FOUND");
        api.delete("/api/v1/users/me/sessions/" + UUID.randomUUID(), phone.token())
                .expectError(404, "NOT_FOUND");
        api.get("/api/v1/users/me", laptop.token()).expect(200);

        api.delete("/api/v1/users/me/sessions/" + otherId, phone.token()).expect(204);
        api.get("/api/v1/users/me", laptop.token()).expectError(401, "UNAUTHORIZED");
        api.delete("/api/v1/users/me/sessions/" + otherId, phone.token()).expectError(404, "NOT_FOUND");
        assertThat(api.get("/api/v1/users/me/sessions", phone.token())
                        .expect(200)
                        .json()
                        .path("sessions"))
                .hasSize(1);
    }

    @Test
    void refreshingMovesLastUsedAt() {
        TestClient.User user = api.register("lastused");
        String before = api.get("/api/v1/users/me/sessions", user.token())
                .expect(200)
                .json()
                .path("sessions")
                .get(0)
                .path("last_used_at")
                .asString();
        await().atMost(Duration.ofSeconds(5))
                .until(() ->
                        Instant.now().toEpochMilli() > Instant.parse(before).toEpochMilli() + 5);
        String token = api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", user.refreshToken()))
                .expect(200)
                .text("access_token");
        JsonNode session = api.get("/api/v1/users/me/sessions", token)
                .expect(200)
                .json()
                .path("sessions")
                .get(0);
        assertThat(Instant.parse(session.path("last_used_at").asString())).isAfter(Instant.parse(before));
        assertThat(session.path("current").asBoolean())
                .as("a refreshed token keeps its session")
                .isTrue();
    }

    @Test
    void aPasswordChangeNeedsTheCurrentPasswordAndEndsEveryOtherSession() {
        TestClient.User here = api.register("passwd");
        TestClient.User elsewhere = login(here, "elsewhere");

        api.put(
                        "/api/v1/users/me/password",
                        here.token(),
                        Map.of("current_password", "wrong horse", "new_password", "battery staple"))
                .expectError(403, "FORBIDDEN");
        api.put(
                        "/api/v1/users/me/password",
                        here.token(),
                        Map.of("current_password", "correct horse", "new_password", "short"))
                .expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/users/me", elsewhere.token()).expect(200);

        api.put(
                        "/api/v1/users/me/password",
                        here.token(),
                        Map.of("current_password", "correct horse", "new_password", "battery staple"))
                .expect(204);

        api.get("/api/v1/users/me", here.token()).expect(200);
        api.get("/api/v1/users/me", elsewhere.token()).expectError(401, "UNAUTHORIZED");
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", elsewhere.refreshToken()))
                .expectError(401, "UNAUTHORIZED");
        api.post("/api/v1/auth/login", null, Map.of("username", here.username(), "password", "correct horse"))
                .expectError(401, "UNAUTHORIZED");
        api.post("/api/v1/auth/login", null, Map.of("username", here.username(), "password", "battery staple"))
                .expect(200);
    }

    @Test
    void aReplayedRefreshTokenEndsTheSessionsAccessTokensAtOnce() {
        TestClient.User user = api.register("replay");
        var rotated = api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", user.refreshToken()))
                .expect(200);
        api.get("/api/v1/users/me", rotated.text("access_token")).expect(200);

        // Someone replays the spent token: the session is revoked, not only its refresh chain.
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", user.refreshToken()))
                .expectError(401, "UNAUTHORIZED");

        api.get("/api/v1/users/me", rotated.text("access_token")).expectError(401, "UNAUTHORIZED");
        api.get("/api/v1/users/me", user.token()).expectError(401, "UNAUTHORIZED");
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", rotated.text("refresh_token")))
                .expectError(401, "UNAUTHORIZED");
    }

    @Test
    void aDeletedUserRowIsUnauthorizedOnReadsAndWritesNeverAServerError() {
        TestClient.User gone = api.register("gone");
        jdbc.sql("DELETE FROM users WHERE user_id = :id").param("id", gone.id()).update();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> api.get("/api/v1/users/me", gone.token()).expectError(401, "UNAUTHORIZED"));
        api.patch("/api/v1/users/me", gone.token(), Map.of("display_name", "still here?"))
                .expectError(401, "UNAUTHORIZED");
        api.post(
                        "/api/v1/conversations",
                        gone.token(),
                        Map.of("type", "group", "name", "ghosts", "participant_ids", List.of()))
                .expectError(401, "UNAUTHORIZED");
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", gone.refreshToken()))
                .expectError(401, "UNAUTHORIZED");
    }

    @Test
    void anAccountMarkedDeletedIsUnauthorizedAndCannotLogIn() {
        TestClient.User erased = api.register("erased");
        TestClient.User peer = api.register("erased");
        jdbc.sql("UPDATE users SET deleted_at = now() WHERE user_id = :id")
                .param("id", erased.id())
                .update();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> api.get("/api/v1/users/me", erased.token()).expectError(401, "UNAUTHORIZED"));
        api.post(
                        "/api/v1/conversations",
                        erased.token(),
                        Map.of(
                                "type",
                                "direct",
                                "participant_ids",
                                List.of(peer.id().toString())))
                .expectError(401, "UNAUTHORIZED");
        api.post("/api/v1/auth/login", null, Map.of("username", erased.username(), "password", "correct horse"))
                .expectError(401, "UNAUTHORIZED");
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", erased.refreshToken()))
                .expectError(401, "UNAUTHORIZED");
    }

    @Test
    void aSuspendedAccountIsRefusedWithItsEndAndItsTokensStopWorking() {
        TestClient.User suspended = api.register("suspended");
        Instant until = Instant.parse("2099-01-01T00:00:00Z");
        jdbc.sql("UPDATE users SET suspended_until = :until WHERE user_id = :id")
                .param("until", Timestamp.from(until))
                .param("id", suspended.id())
                .update();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> api.get("/api/v1/users/me", suspended.token()).expectError(401, "UNAUTHORIZED"));
        TestClient.Resp login = api.post(
                        "/api/v1/auth/login",
                        null,
                        Map.of("username", suspended.username(), "password", "correct horse"))
                .expectError(403, "ACCOUNT_SUSPENDED");
        assertThat(login.json().path("details").path("until").asString()).isEqualTo("2099-01-01T00:00:00.000Z");
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", suspended.refreshToken()))
                .expectError(403, "ACCOUNT_SUSPENDED");
        // A wrong password says nothing about the suspension.
        api.post("/api/v1/auth/login", null, Map.of("username", suspended.username(), "password", "guess"))
                .expectError(401, "UNAUTHORIZED");
    }

    /** A second session of the user, with this User-Agent. */
    private TestClient.User login(TestClient.User user, String userAgent) {
        TestClient.Resp login = api.post(
                        "/api/v1/auth/login",
                        null,
                        Map.of("username", user.username(), "password", "correct horse"),
                        Map.of("User-Agent", userAgent))
                .expect(200);
        return new TestClient.User(user.id(), user.username(), login.text("access_token"), login.text("refresh_token"));
    }

    private static JsonNode find(JsonNode sessions, boolean current) {
        for (JsonNode session : sessions) {
            if (session.path("current").asBoolean() == current) {
                return session;
            }
        }
        throw new AssertionError("no session with current=" + current + " in " + sessions);
    }
}
