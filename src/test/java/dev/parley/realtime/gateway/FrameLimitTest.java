package dev.parley.realtime.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Frames per socket, with the defaults (20 a second, 40 at once): a flood is answered with {@code error} frames
 * instead of being handled, and a socket that keeps flooding is closed with 4029; typing frames are limited per
 * user and announced to the other members at most every 5 s.
 */
class FrameLimitTest extends ApiTest {

    @Test
    void aFloodGetsErrorFramesThenTheSocketIsClosedWith4029() {
        TestClient.User alice = api.register("flood");
        try (WsClient socket = WsClient.connect(api, alice)) {
            int sent = 0;
            try {
                while (sent < 1_000 && socket.isOpen()) {
                    socket.send("ping", Map.of("n", sent));
                    sent++;
                }
            } catch (CompletionException closed) {
                // The server closed the socket while frames were still going out.
            }
            assertThat(socket.closeCode())
                    .succeedsWithin(Duration.ofSeconds(10))
                    .isEqualTo(4029);

            List<JsonNode> errors = socket.received("error");
            assertThat(errors).isNotEmpty().allSatisfy(error -> {
                assertThat(error.path("code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
                assertThat(error.path("details").path("limit").asString()).isEqualTo("frames");
                assertThat(error.path("details").path("retry_after").asLong()).isEqualTo(1);
            });
            // The burst was handled; past it only what refilled (20 a second), the rest was answered with errors.
            int pongs = socket.received("pong").size();
            assertThat(pongs).isGreaterThanOrEqualTo(40).isLessThan(sent);
            // Closed after a burst's worth of refused frames in a row, each told before the close.
            assertThat(errors.size()).isGreaterThanOrEqualTo(40);
            assertThat(socket.frames().getLast().path("type").asString()).isEqualTo("error");
        }
    }

    @Test
    void aRefusedSendIsToldWithItsClientMessageIdAndNothingIsStored() {
        TestClient.User alice = api.register("floodsend");
        TestClient.User bob = api.register("floodsend");
        UUID direct = chat.direct(alice, bob);
        try (WsClient socket = WsClient.connect(api, alice)) {
            for (int i = 0; i < 40; i++) {
                socket.send("ping", Map.of("n", i));
            }
            socket.send(
                    "message.send",
                    Map.of(
                            "conversation_id",
                            direct.toString(),
                            "client_message_id",
                            "over",
                            "type",
                            "text",
                            "content",
                            "one too many"));
            JsonNode error = socket.await(
                    "error", e -> "over".equals(e.path("client_message_id").asString()));
            assertThat(error.path("code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
            assertThat(socket.find("message.ack", a -> true)).isEmpty();
            assertThat(chat.history(bob, direct)).isEmpty();
        }
    }

    @Test
    void twentyTypingStartsInARowReachTheOtherMembersAsOneIndicator() {
        TestClient.User alice = api.register("typflood");
        TestClient.User bob = api.register("typflood");
        UUID direct = chat.direct(alice, bob);
        try (WsClient typist = WsClient.connect(api, alice);
                WsClient reader = WsClient.connect(api, bob)) {
            // The handshake's answer can reach the client before the server has registered the socket; a pong comes
            // after it, so the first start (the only one that goes out) cannot miss the reader.
            reader.send("ping", Map.of());
            reader.await("pong");
            for (int i = 0; i < 20; i++) {
                typist.send("typing.start", Map.of("conversation_id", direct.toString()));
            }
            typist.send("typing.stop", Map.of("conversation_id", direct.toString()));
            // The stop is a change and goes out: once it has arrived, so has any start sent before it.
            reader.await("typing.indicator", t -> !t.path("is_typing").asBoolean());
            assertThat(reader.received("typing.indicator"))
                    .extracting(t -> t.path("is_typing").asBoolean())
                    .containsExactly(true, false);
            assertThat(typist.received("error")).isEmpty();
        }
    }

    @Test
    void typingIsLimitedPerUserOverRestAndSockets() {
        TestClient.User alice = api.register("typlimit");
        TestClient.User bob = api.register("typlimit");
        String path = "/api/v1/conversations/" + chat.direct(alice, bob) + "/typing";
        TestClient.Resp refused = null;
        // 60 at once; a few more may have refilled (one a second) while these went out.
        for (int i = 0; i < 100 && refused == null; i++) {
            TestClient.Resp resp = api.post(path, alice.token(), null);
            if (resp.status() != 200) {
                refused = resp;
            }
        }
        assertThat(refused).as("a typing update beyond 60 a minute").isNotNull();
        refused.expectError(429, "RATE_LIMIT_EXCEEDED");
        assertThat(refused.json().path("details").path("limit").asString()).isEqualTo("typing");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        // The same allowance over the socket, stops included.
        try (WsClient socket = WsClient.connect(api, alice)) {
            for (int i = 0; i < 5; i++) {
                socket.send("typing.stop", Map.of("conversation_id", path.split("/")[4]));
            }
            assertThat(socket.await("error").path("details").path("limit").asString())
                    .isEqualTo("typing");
        }
        api.post(path, bob.token(), null).expect(200);
    }
}
