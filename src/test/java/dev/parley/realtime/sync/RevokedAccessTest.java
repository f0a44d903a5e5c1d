package dev.parley.realtime.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.ApiTest;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A revocation ends every transport at once, on every node: the revoked session's sockets are closed with 4003,
 * its event streams end and its long polls are answered 401, while the user's other sessions carry on. A second
 * node sharing the database (no Redis) learns of it from the revocation feed within seconds.
 */
class RevokedAccessTest extends ApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration SOON = Duration.ofSeconds(10);

    private static ConfigurableApplicationContext node2;

    @Autowired
    private SyncWaiters waiters;

    @Autowired
    private JdbcClient jdbc;

    @BeforeAll
    static void startSecondNode() {
        node2 = SendRun.startNode();
    }

    @AfterAll
    static void stopSecondNode() {
        if (node2 != null) {
            node2.close();
        }
    }

    @Test
    void logoutClosesTheSessionsSocketsEndsItsStreamsAndAnswersItsLongPolls() throws Exception {
        TestClient.User user = api.register("revoke");
        TestClient.User otherSession = login(api, user);
        try (WsClient revoked = WsClient.connect(api, user);
                WsClient kept = WsClient.connect(api, otherSession)) {
            pingPong(revoked);
            pingPong(kept);
            CompletableFuture<Void> streamEnded = openStream(user);
            CompletableFuture<HttpResponse<String>> longPoll = HTTP.sendAsync(
                    HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/sync?timeout=30"))
                            .header("Authorization", "Bearer " + user.token())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            // The stream and the long poll are both waiting for events.
            await().atMost(SOON).until(() -> waiters.waiting(user.id()) == 2);

            api.post("/api/v1/auth/logout", user.token(), Map.of("refresh_token", user.refreshToken()))
                    .expect(204);

            assertThat(revoked.closeCode()).succeedsWithin(SOON).isEqualTo(4003);
            assertThat(streamEnded).succeedsWithin(SOON);
            assertThat(longPoll).succeedsWithin(SOON).satisfies(response -> {
                assertThat(response.statusCode()).isEqualTo(401);
                assertThat(response.body()).contains("UNAUTHORIZED");
            });
            // The user's other session is untouched.
            pingPong(kept);
            assertThat(kept.isOpen()).isTrue();
        }
        // And the revoked token opens nothing new.
        assertThat(WsClient.refusal(api, user.token(), null)).contains(401);
    }

    @Test
    void aSecondNodeLearnsOfARevocationWithinSeconds() {
        TestClient api2 = SendRun.client(node2);
        TestClient.User user = api.register("revoke2");
        // Node 2 has seen (and remembered) the token before the logout.
        api2.get("/api/v1/users/me", user.token()).expect(200);
        try (WsClient socket = WsClient.connect(api2, user)) {
            pingPong(socket);

            api.post("/api/v1/auth/logout", user.token(), Map.of("refresh_token", user.refreshToken()))
                    .expect(204);

            assertThat(socket.closeCode()).succeedsWithin(SOON).isEqualTo(4003);
            await().atMost(SOON)
                    .untilAsserted(
                            () -> api2.get("/api/v1/users/me", user.token()).expectError(401, "UNAUTHORIZED"));
        }
    }

    @Test
    void aSuspensionClosesEverySocketOfTheUserOnEveryNode() {
        TestClient api2 = SendRun.client(node2);
        TestClient.User user = api.register("suspend");
        TestClient.User otherSession = login(api, user);
        try (WsClient here = WsClient.connect(api, user);
                WsClient there = WsClient.connect(api2, otherSession)) {
            pingPong(here);
            pingPong(there);

            // As an operator (or the coming suspension feature) would: the users table's trigger writes the feed.
            jdbc.sql("UPDATE users SET suspended_until = now() + interval '1 day' WHERE user_id = :id")
                    .param("id", user.id())
                    .update();

            assertThat(here.closeCode()).succeedsWithin(SOON).isEqualTo(4003);
            assertThat(there.closeCode()).succeedsWithin(SOON).isEqualTo(4003);
            api2.get("/api/v1/users/me", otherSession.token()).expectError(401, "UNAUTHORIZED");
        }
    }

    private static void pingPong(WsClient socket) {
        String nonce = TestClient.uniqueName("ping");
        socket.send("ping", Map.of("n", nonce));
        socket.await("pong", data -> data.path("n").asString().equals(nonce));
    }

    /** Opens an event stream of the user; the future completes when the server ends it. */
    private CompletableFuture<Void> openStream(TestClient.User user) throws Exception {
        HttpResponse<Stream<String>> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/events"))
                        .header("Authorization", "Bearer " + user.token())
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        CompletableFuture<Void> ended = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Stream<String> lines = response.body()) {
                lines.forEach(line -> {});
                ended.complete(null);
            } catch (RuntimeException e) {
                ended.completeExceptionally(e);
            }
        });
        return ended;
    }

    /** Another session of the same user. */
    private static TestClient.User login(TestClient api, TestClient.User user) {
        TestClient.Resp login = api.post(
                        "/api/v1/auth/login", null, Map.of("username", user.username(), "password", "correct horse"))
                .expect(200);
        return new TestClient.User(user.id(), user.username(), login.text("access_token"), login.text("refresh_token"));
    }
}
