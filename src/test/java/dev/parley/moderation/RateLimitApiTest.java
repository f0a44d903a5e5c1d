package dev.parley.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.Chat;
import dev.parley.support.MutableClock;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;

/**
 * The contract's limits through the public API, with the defaults the test profile turns off for other tests (a
 * context of its own, therefore) and a clock that moves only when the test says: the server's time stands still
 * while 60 messages go out, so the 61st is refused however slow the machine.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "parley.data-dir=target/test-data/shared",
            "parley.limits.messages-per-minute=60",
            "parley.limits.images-per-hour=20",
            "parley.limits.login-attempts=10",
            "parley.limits.login-attempts-per-address=100",
            "parley.limits.login-window=15m",
            "parley.limits.login-attempts-per-account=20",
            "parley.limits.login-account-window=1h",
            // The test client stands in for a reverse proxy, so that X-Forwarded-For can name many client addresses.
            "parley.http.trusted-proxies=127.0.0.1/32",
            "parley.limits.searches-per-minute=30",
            "parley.limits.user-searches-per-minute=20"
        })
@ActiveProfiles("test")
class RateLimitApiTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.now());

    @TestBean
    private Clock clock;

    @LocalServerPort
    private int port;

    private TestClient api;
    private Chat chat;

    static Clock clock() {
        return CLOCK;
    }

    @BeforeEach
    void client() {
        api = new TestClient("http://127.0.0.1:" + port);
        chat = new Chat(api);
    }

    @Test
    void theSixtyFirstMessageInAMinuteIsRefusedUntilTheAllowanceRefills() {
        TestClient.User alice = api.register("limited");
        TestClient.User bob = api.register("limited");
        UUID direct = chat.direct(alice, bob);
        UUID fifth = null;
        for (int i = 0; i < 60; i++) {
            UUID id = send(alice, direct, "m-" + i).expect(201).id("message_id");
            fifth = i == 5 ? id : fifth;
        }

        TestClient.Resp refused = send(alice, direct, "m-60").expectError(429, "RATE_LIMIT_EXCEEDED");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(refused.json().path("details").path("retry_after").asLong()).isEqualTo(1);
        assertThat(refused.json().path("details").path("limit").asString()).isEqualTo("message");

        // A retry of a stored message (its ack was lost, say) gets the message, not 429, and stores nothing new.
        TestClient.Resp retry = send(alice, direct, "m-5").expect(200);
        assertThat(retry.id("message_id")).isEqualTo(fifth);
        assertThat(chat.history(bob, direct)).hasSize(60);

        // Bob's allowance is his own.
        send(bob, direct, "b-0").expect(201);

        // One second later one unit is free: one message, then 429 again.
        CLOCK.advance(Duration.ofSeconds(1));
        send(alice, direct, "m-60").expect(201);
        send(alice, direct, "m-61").expectError(429, "RATE_LIMIT_EXCEEDED");

        assertThat(api.get("/metrics", null).expect(200).raw())
                .containsPattern("rate_limit_refusals_total\\{[^}]*limit=\"message\"[^}]*} [1-9]");
    }

    @Test
    void overWebSocketTheRefusalIsAnErrorFrameWithTheSameCodeAndDetails() {
        TestClient.User carol = api.register("limitedws");
        TestClient.User dan = api.register("limitedws");
        UUID direct = chat.direct(carol, dan);
        for (int i = 0; i < 60; i++) {
            send(carol, direct, "c-" + i).expect(201);
        }
        try (WsClient ws = WsClient.connect(api, carol)) {
            ws.send(
                    "message.send",
                    Map.of(
                            "conversation_id",
                            direct.toString(),
                            "client_message_id",
                            "c-60",
                            "type",
                            "text",
                            "content",
                            "one too many"));
            JsonNode error = ws.await("error");
            assertThat(error.path("code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
            assertThat(error.path("client_message_id").asString()).isEqualTo("c-60");
            assertThat(error.path("details").path("retry_after").asLong()).isEqualTo(1);
            assertThat(error.path("details").path("limit").asString()).isEqualTo("message");

            // The same idempotent retry rule as REST: the stored message comes back in an ack.
            ws.send(
                    "message.send",
                    Map.of(
                            "conversation_id",
                            direct.toString(),
                            "client_message_id",
                            "c-7",
                            "type",
                            "text",
                            "content",
                            "c-7"));
            JsonNode ack = ws.await("message.ack");
            assertThat(ack.path("client_message_id").asString()).isEqualTo("c-7");
            assertThat(ack.path("message").path("content").asString()).isEqualTo("c-7");
        }
    }

    @Test
    void theTwentyFirstImageUploadInAnHourIsRefused() {
        TestClient.User alice = api.register("uploads");
        Map<String, Object> ticket = Map.of("filename", "p.png", "content_type", "image/png", "file_size", 1000);
        for (int i = 0; i < 20; i++) {
            api.post("/api/v1/messages/attachments/upload-url", alice.token(), ticket)
                    .expect(200);
        }
        var refused = api.post("/api/v1/messages/attachments/upload-url", alice.token(), ticket)
                .expectError(429, "RATE_LIMIT_EXCEEDED");
        // One upload frees every three minutes.
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("180");
        api.post(
                        "/api/v1/messages/attachments/upload-url",
                        api.register("uploads").token(),
                        ticket)
                .expect(200);
        CLOCK.advance(Duration.ofMinutes(3));
        api.post("/api/v1/messages/attachments/upload-url", alice.token(), ticket)
                .expect(200);
    }

    @Test
    void theThirtyFirstSearchInAMinuteIsRefusedInOneConversationOrAcrossAll() {
        TestClient.User alice = api.register("searcher");
        TestClient.User bob = api.register("searcher");
        UUID direct = chat.direct(alice, bob);
        for (int i = 0; i < 30; i++) {
            String path = i % 2 == 0
                    ? "/api/v1/messages/search?q=hello"
                    : "/api/v1/conversations/" + direct + "/messages/search?q=hello";
            api.get(path, alice.token()).expect(200);
        }
        for (String path : List.of(
                "/api/v1/messages/search?q=hello", "/api/v1/conversations/" + direct + "/messages/search?q=hello")) {
            TestClient.Resp refused = api.get(path, alice.token()).expectError(429, "RATE_LIMIT_EXCEEDED");
            // Thirty a minute: one frees every two seconds.
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
            assertThat(refused.json().path("details").path("limit").asString()).isEqualTo("search");
        }
        // Bob's allowance is his own; alice's refills.
        api.get("/api/v1/messages/search?q=hello", bob.token()).expect(200);
        CLOCK.advance(Duration.ofSeconds(2));
        api.get("/api/v1/messages/search?q=hello", alice.token()).expect(200);
        api.get("/api/v1/messages/search?q=hello", alice.token()).expectError(429, "RATE_LIMIT_EXCEEDED");
    }

    @Test
    void userLookUpsAreLimitedSoOneAccountCannotListTheDirectory() {
        TestClient.User carol = api.register("lookup");
        for (int i = 0; i < 20; i++) {
            api.get("/api/v1/users?query=" + (char) ('a' + i), carol.token()).expect(200);
        }
        TestClient.Resp refused =
                api.get("/api/v1/users?query=u", carol.token()).expectError(429, "RATE_LIMIT_EXCEEDED");
        // Twenty a minute: one frees every three seconds.
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(refused.json().path("details").path("limit").asString()).isEqualTo("user_search");
        CLOCK.advance(Duration.ofSeconds(3));
        api.get("/api/v1/users?query=u", carol.token()).expect(200);
    }

    @Test
    void systemMessagesAreNotLimited() {
        TestClient.User owner = api.register("limitedsys");
        TestClient.User member = api.register("limitedsys");
        UUID group = chat.group(owner, "busy room", member);
        for (int i = 0; i < 60; i++) {
            send(owner, group, "o-" + i).expect(201);
        }
        send(owner, group, "o-60").expectError(429, "RATE_LIMIT_EXCEEDED");
        // Adding people and renaming post system messages in the owner's name; neither is refused.
        TestClient.User late = api.register("limitedsys");
        api.post(
                        "/api/v1/conversations/" + group + "/participants",
                        owner.token(),
                        Map.of("user_ids", List.of(late.id().toString())))
                .expect(200);
        api.patch("/api/v1/conversations/" + group, owner.token(), Map.of("name", "renamed"))
                .expect(200);
        assertThat(chat.systemMessages(owner, group, "member_added")).hasSize(1);
        assertThat(chat.systemMessages(owner, group, "group_renamed")).hasSize(1);
    }

    @Test
    void tenLoginAttemptsPerUsernameThenWaitEvenWithTheRightPassword() {
        TestClient.User eve = api.register("limitedlogin");
        TestClient.User frank = api.register("limitedlogin");
        for (int i = 0; i < 10; i++) {
            api.post("/api/v1/auth/login", null, Map.of("username", eve.username(), "password", "guess " + i))
                    .expectError(401, "UNAUTHORIZED");
        }
        TestClient.Resp refused = api.post(
                        "/api/v1/auth/login", null, Map.of("username", eve.username(), "password", "correct horse"))
                .expectError(429, "RATE_LIMIT_EXCEEDED");
        // Ten per fifteen minutes: one attempt frees every 90 seconds.
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("90");
        assertThat(refused.json().path("details").path("limit").asString()).isEqualTo("login_attempt");

        // Another username is not affected, nor is an unknown one limited differently (nothing is revealed).
        api.post("/api/v1/auth/login", null, Map.of("username", frank.username(), "password", "correct horse"))
                .expect(200);
        CLOCK.advance(Duration.ofSeconds(90));
        api.post("/api/v1/auth/login", null, Map.of("username", eve.username(), "password", "correct horse"))
                .expect(200);
    }

    @Test
    void aUsernameLockedAtOneAddressStillLogsInFromAnotherAndOneAddressCannotTryEveryone() throws Exception {
        TestClient.User grace = api.register("limitedlogin");
        for (int i = 0; i < 10; i++) {
            assertThat(login("10.1.1.1", grace.username(), "guess " + i).statusCode())
                    .isEqualTo(401);
        }
        assertThat(login("10.1.1.1", grace.username(), "correct horse").statusCode())
                .isEqualTo(429);
        // The guesser's address is locked out of this username; the user, elsewhere, is not.
        assertThat(login("10.1.1.2", grace.username(), "correct horse").statusCode())
                .isEqualTo(200);

        // One address trying a different username each time is stopped after 100 in the window.
        for (int i = 0; i < 100; i++) {
            assertThat(login(
                                    "10.9.9.9",
                                    "nobody_" + UUID.randomUUID().toString().substring(0, 8),
                                    "x")
                            .statusCode())
                    .isEqualTo(401);
        }
        var refused = login("10.9.9.9", grace.username(), "correct horse");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("login_from_address");
    }

    @Test
    void ipv6AddressesOfOneSlash64ShareTheirAddressAllowances() throws Exception {
        TestClient.User ivy = api.register("limitedv6");
        // Ten guesses, each from a different address of one /64: one allowance, as for one IPv4 address.
        for (int i = 0; i < 10; i++) {
            assertThat(login("2001:db8:1:2::" + Integer.toHexString(i + 1), ivy.username(), "guess " + i)
                            .statusCode())
                    .isEqualTo(401);
        }
        var refused = login("2001:db8:1:2:ffff:ffff:ffff:fffe", ivy.username(), "correct horse");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("login_attempt");
        // The next /64 is another subscriber.
        assertThat(login("2001:db8:1:3::1", ivy.username(), "correct horse").statusCode())
                .isEqualTo(200);
    }

    @Test
    void guessesFromEverNewAddressesShareOneAllowancePerAccountWhileTheUsersOwnAddressStaysOpen() throws Exception {
        TestClient.User heidi = api.register("limitedacct");
        for (int i = 0; i < 20; i++) {
            assertThat(login("10.7.0." + i, heidi.username(), "guess " + i).statusCode())
                    .isEqualTo(401);
        }
        // A 21st address, even with the right password: the account's allowance for strangers is spent.
        var refused = login("10.7.1.1", heidi.username(), "correct horse");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("login_account");
        // Twenty an hour: one frees every three minutes.
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("180");

        // Where her session was created (here, the proxy's own address), she is only held to the per-address limits.
        api.post("/api/v1/auth/login", null, Map.of("username", heidi.username(), "password", "correct horse"))
                .expect(200);

        // An unknown username is slowed down the same way: the answers reveal nothing about who exists.
        String nobody = "nobody_" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 20; i++) {
            assertThat(login("10.8.0." + i, nobody, "guess").statusCode()).isEqualTo(401);
        }
        assertThat(login("10.8.1.1", nobody, "guess").statusCode()).isEqualTo(429);

        CLOCK.advance(Duration.ofMinutes(3));
        assertThat(login("10.7.1.1", heidi.username(), "correct horse").statusCode())
                .isEqualTo(200);
        assertThat(login("10.7.1.2", heidi.username(), "correct horse").statusCode())
                .isEqualTo(429);
    }

    private HttpResponse<String> login(String address, String username, String password) throws Exception {
        String body = TestClient.JSON.writeValueAsString(Map.of("username", username, "password", password));
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/auth/login"))
                                .header("Content-Type", "application/json")
                                .header("X-Forwarded-For", address)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private TestClient.Resp send(TestClient.User from, UUID conversation, String clientMessageId) {
        return api.post(
                "/api/v1/conversations/" + conversation + "/messages",
                from.token(),
                Map.of("type", "text", "content", clientMessageId, "client_message_id", clientMessageId));
    }
}
