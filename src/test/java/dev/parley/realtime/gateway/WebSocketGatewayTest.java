package dev.parley.realtime.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The gateway itself: handshake, message.send and its ack, ping, and what a bad frame gets. */
class WebSocketGatewayTest extends ApiTest {

    @Test
    void theUpgradeNeedsAValidTokenInTheHeaderOrTheQuery() {
        TestClient.User alice = api.register("wsauth");
        assertThat(WsClient.refusal(api, null, null)).contains(401);
        assertThat(WsClient.refusal(api, "not.a.token", null)).contains(401);
        assertThat(WsClient.refusal(api, null, "not.a.token")).contains(401);
        assertThat(WsClient.refusal(api, alice.token() + "x", null)).contains(401);
        assertThat(WsClient.refusal(api, alice.token(), null)).isEmpty();
        assertThat(WsClient.refusal(api, null, alice.token())).isEmpty();

        try (WsClient socket = WsClient.connectWithQueryToken(api, alice.token())) {
            socket.send("ping", Map.of("n", 7));
            assertThat(socket.await("pong").path("n").asInt()).isEqualTo(7);
        }
        // The endpoint is not reachable as plain HTTP past the token check either.
        api.get("/api/v1/ws", null).expect(401);
    }

    @Test
    void aSendIsAckedWithTheStoredMessageAndReachesEveryOtherDevice() {
        TestClient.User alice = api.register("wssend");
        TestClient.User bob = api.register("wssend");
        UUID conversation = chat.direct(alice, bob);
        try (WsClient phone = WsClient.connect(api, alice);
                WsClient laptop = WsClient.connect(api, alice);
                WsClient bobPhone = WsClient.connect(api, bob);
                WsClient bobLaptop = WsClient.connect(api, bob)) {
            phone.send(
                    "message.send",
                    Map.of(
                            "conversation_id",
                            conversation.toString(),
                            "type",
                            "text",
                            "content",
                            "hello over the socket",
                            "client_message_id",
                            "c-1"));
            JsonNode ack = phone.await("message.ack");
            assertThat(ack.path("client_message_id").asString()).isEqualTo("c-1");
            JsonNode message = ack.path("message");
            String id = message.path("message_id").asString();
            assertThat(message.path("content").asString()).isEqualTo("hello over the socket");
            assertThat(message.path("seq").asLong()).isEqualTo(1);
            assertThat(message.path("sender").path("username").asString()).isEqualTo(alice.username());
            // Stored: history over REST has it, under the same id.
            assertThat(chat.history(bob, conversation).get(0).path("message_id").asString())
                    .isEqualTo(id);

            for (WsClient device : new WsClient[] {laptop, bobPhone, bobLaptop}) {
                JsonNode event = device.await(
                        "message.new",
                        d -> d.path("message").path("message_id").asString().equals(id));
                assertThat(event.path("conversation_id").asString()).isEqualTo(conversation.toString());
                assertThat(event.path("message").path("seq").asLong()).isEqualTo(1);
            }

            // A retry after a lost ack: the same message, stored once, announced once.
            phone.send(
                    "message.send",
                    Map.of(
                            "conversation_id",
                            conversation.toString(),
                            "type",
                            "text",
                            "content",
                            "hello over the socket",
                            "client_message_id",
                            "c-1"));
            phone.await("message.ack", d -> phone.received("message.ack").size() == 2);
            assertThat(phone.received("message.ack")
                            .get(1)
                            .path("message")
                            .path("message_id")
                            .asString())
                    .isEqualTo(id);
            UUID next = chat.sendOk(alice, conversation, "second");
            bobPhone.await(
                    "message.new",
                    d -> d.path("message").path("message_id").asString().equals(next.toString()));
            assertThat(bobPhone.received("message.new")).hasSize(2);
            // The sending device has its ack; it gets no echo of its own send (but does of a REST send).
            phone.await("message.new", d -> d.path("message").path("seq").asLong() == 2);
            assertThat(phone.received("message.new")).hasSize(1);
        }
        String metrics = api.get("/metrics", null).expect(200).raw();
        assertThat(metrics).contains("websocket_connections_active").contains("messages_delivered_total");
    }

    @Test
    void badFramesGetErrorFramesAndTheSocketStaysOpen() {
        TestClient.User alice = api.register("wsbad");
        TestClient.User bob = api.register("wsbad");
        TestClient.User eve = api.register("wsbad");
        UUID conversation = chat.direct(alice, bob);
        try (WsClient socket = WsClient.connect(api, alice)) {
            socket.sendRaw("this is not json");
            socket.sendRaw("[1, 2]");
            socket.sendRaw("{\"type\": \"no.such.frame\", \"data\": {}}");
            socket.sendRaw("{\"type\": \"message.send\", \"data\": \"text\"}");
            socket.send(
                    "message.send",
                    Map.of("conversation_id", "nope", "type", "text", "content", "x", "client_message_id", "bad-id"));
            socket.send(
                    "message.send",
                    Map.of("conversation_id", conversation.toString(), "type", "text", "content", "no key"));
            socket.send(
                    "message.send",
                    Map.of(
                            "conversation_id",
                            conversation.toString(),
                            "type",
                            "video",
                            "content",
                            "x",
                            "client_message_id",
                            "bad-type"));
            socket.send(
                    "message.send",
                    Map.of(
                            "conversation_id",
                            conversation.toString(),
                            "type",
                            "text",
                            "content",
                            42,
                            "client_message_id",
                            "bad-content"));
            socket.send("typing.start", Map.of());
            await(socket, 9);
            for (JsonNode error : socket.received("error")) {
                assertThat(error.path("code").asString()).as(error.toString()).isEqualTo("VALIDATION_FAILED");
                assertThat(error.path("message").asString()).isNotBlank();
                assertThat(error.has("details")).isTrue();
            }
            var errors = socket.received("error");
            assertThat(errors.get(4).path("details").path("field").asString()).isEqualTo("conversation_id");
            assertThat(errors.get(4).path("client_message_id").asString()).isEqualTo("bad-id");
            assertThat(errors.get(5).path("details").path("field").asString()).isEqualTo("client_message_id");
            assertThat(errors.get(6).path("details").path("field").asString()).isEqualTo("type");
            assertThat(errors.get(7).path("details").path("field").asString()).isEqualTo("content");

            socket.send(
                    "message.send",
                    Map.of(
                            "conversation_id",
                            conversation.toString(),
                            "type",
                            "text",
                            "content",
                            "x".repeat(4001),
                            "client_message_id",
                            "long"));
            JsonNode tooLong = socket.await(
                    "error", e -> "long".equals(e.path("client_message_id").asString()));
            assertThat(tooLong.path("code").asString()).isEqualTo("MESSAGE_TOO_LONG");

            try (WsClient outsider = WsClient.connect(api, eve)) {
                outsider.send(
                        "message.send",
                        Map.of(
                                "conversation_id",
                                conversation.toString(),
                                "type",
                                "text",
                                "content",
                                "let me in",
                                "client_message_id",
                                "eve-1"));
                assertThat(outsider.await("error").path("code").asString()).isEqualTo("CONVERSATION_NOT_FOUND");
                outsider.send("typing.start", Map.of("conversation_id", conversation.toString()));
                outsider.send(
                        "message.read", Map.of("message_id", UUID.randomUUID().toString()));
                outsider.await("error", e -> outsider.received("error").size() == 3);
                assertThat(outsider.received("error").get(1).path("code").asString())
                        .isEqualTo("CONVERSATION_NOT_FOUND");
                assertThat(outsider.received("error").get(2).path("code").asString())
                        .isEqualTo("MESSAGE_NOT_FOUND");
            }

            socket.send("ping", Map.of());
            socket.await("pong");
            assertThat(socket.isOpen()).isTrue();
            assertThat(chat.history(alice, conversation)).isEmpty();
        }
    }

    private static void await(WsClient socket, int errors) {
        socket.await("error", e -> socket.received("error").size() >= errors);
        assertThat(socket.received("error")).hasSize(errors);
    }
}
