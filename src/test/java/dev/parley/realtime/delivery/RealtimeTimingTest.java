package dev.parley.realtime.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.Chat;
import dev.parley.support.MutableClock;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
 * Rules that hang on time, with a server clock that moves only when the test says (a context of its own): typing
 * renewals announced at most every 5 s, presence flips debounced (3 s) and a reconnect within the offline grace
 * (5 s) announcing nothing. Event streams send a keepalive every second here, so that a stream its client closed
 * is noticed, and its slot given back, within the test.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"parley.data-dir=target/test-data/shared", "parley.sync.sse-heartbeat=1s"})
@ActiveProfiles("test")
class RealtimeTimingTest {

    /** Whole milliseconds, as the API writes times. */
    private static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));

    private static final HttpClient HTTP = HttpClient.newHttpClient();

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
    void typingRenewalsReachTheOtherMembersAtMostEveryFiveSeconds() {
        TestClient.User alice = api.register("typtime");
        TestClient.User bob = api.register("typtime");
        UUID direct = chat.direct(alice, bob);
        String path = "/api/v1/conversations/" + direct + "/typing";
        try (WsClient typist = WsClient.connect(api, alice);
                WsClient reader = WsClient.connect(api, bob)) {
            for (int i = 0; i < 20; i++) {
                typist.send("typing.start", Map.of("conversation_id", direct.toString()));
            }
            reader.await("typing.indicator");

            CLOCK.advance(Duration.ofSeconds(4));
            Instant renewed = CLOCK.instant();
            typist.send("typing.start", Map.of("conversation_id", direct.toString()));
            // Not announced, but the state now lasts 10 s from this renewal.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Instant.parse(api.get(path, bob.token())
                                    .expect(200)
                                    .json()
                                    .path("typing")
                                    .path(0)
                                    .path("expires_at")
                                    .asString())
                            .equals(renewed.plusSeconds(10)));

            CLOCK.advance(Duration.ofSeconds(1));
            typist.send("typing.start", Map.of("conversation_id", direct.toString()));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> reader.received("typing.indicator").size() >= 2);
            // Had the renewal at 4 s gone out, it would have arrived before this one.
            assertThat(reader.received("typing.indicator"))
                    .hasSize(2)
                    .allMatch(t -> t.path("is_typing").asBoolean());
            assertThat(typist.received("error")).isEmpty();
        }
    }

    @Test
    void presenceFlipsWithinTheDebounceAnnounceOnlyTheStatusThatStays() {
        TestClient.User alice = api.register("prestime");
        TestClient.User bob = api.register("prestime");
        chat.direct(alice, bob);
        try (WsClient watcher = WsClient.connect(api, alice);
                WsClient phone = WsClient.connect(api, bob)) {
            watcher.await("presence.updated", p -> isAbout(p, bob) && "online".equals(status(p)));
            for (String flip : List.of("away", "online", "away", "online", "away")) {
                phone.send("presence.heartbeat", Map.of("status", flip));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> "away"
                            .equals(api.get("/api/v1/users/" + bob.id() + "/presence", alice.token())
                                    .expect(200)
                                    .text("status")));

            CLOCK.advance(Duration.ofSeconds(3));
            watcher.await("presence.updated", p -> isAbout(p, bob) && "away".equals(status(p)));
            // One announcement for five flips: any other would have come before the last.
            assertThat(statuses(watcher, bob)).containsExactly("online", "away");
            assertThat(phone.received("error")).isEmpty();
        }
    }

    @Test
    void aReconnectWithinTheOfflineGraceAnnouncesNothing() {
        TestClient.User alice = api.register("presgrace");
        TestClient.User carol = api.register("presgrace");
        chat.direct(alice, carol);
        String path = "/api/v1/users/" + carol.id() + "/presence";
        try (WsClient watcher = WsClient.connect(api, alice)) {
            WsClient first = WsClient.connect(api, carol);
            watcher.await("presence.updated", p -> isAbout(p, carol) && "online".equals(status(p)));
            CLOCK.advance(Duration.ofSeconds(3));
            first.close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> api.get(path, alice.token())
                                    .expect(200)
                                    .json()
                                    .path("device_count")
                                    .asInt()
                            == 0);
            try (WsClient again = WsClient.connect(api, carol)) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> api.get(path, alice.token())
                                        .expect(200)
                                        .json()
                                        .path("device_count")
                                        .asInt()
                                == 1);
                // Well past the grace and the debounce: nothing is due, since carol is online as announced.
                CLOCK.advance(Duration.ofSeconds(10));
                again.send("presence.heartbeat", Map.of("status", "away"));
                watcher.await("presence.updated", p -> isAbout(p, carol) && "away".equals(status(p)));
                assertThat(statuses(watcher, carol)).containsExactly("online", "away");
            }
        }
    }

    @Test
    void aClosedEventStreamGivesItsSlotBack() throws Exception {
        TestClient.User alice = api.register("capgrace");
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/events"))
                .header("Authorization", "Bearer " + alice.token())
                .header("Accept", "text/event-stream")
                .build();
        List<HttpResponse<InputStream>> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                streams.add(HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()));
            }
            assertThat(streams).allMatch(s -> s.statusCode() == 200);
            assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(429);

            // The server notices when a keepalive cannot be written, and frees the slot.
            streams.removeFirst().body().close();
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        HttpResponse<InputStream> again = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
                        if (again.statusCode() == 200) {
                            streams.add(again);
                            return true;
                        }
                        again.body().close();
                        return false;
                    });
        } finally {
            for (HttpResponse<InputStream> stream : streams) {
                stream.body().close();
            }
        }
    }

    private static boolean isAbout(JsonNode presence, TestClient.User user) {
        return presence.path("user_id").asString().equals(user.id().toString());
    }

    private static String status(JsonNode presence) {
        return presence.path("status").asString();
    }

    private static List<String> statuses(WsClient watcher, TestClient.User user) {
        return watcher.received("presence.updated").stream()
                .filter(p -> isAbout(p, user))
                .map(RealtimeTimingTest::status)
                .toList();
    }
}
