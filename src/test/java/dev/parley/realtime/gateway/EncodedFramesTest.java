package dev.parley.realtime.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Frames go out as the bytes encoded once for all recipients ({@link EncodedTextSender}), not re-encoded per
 * socket: the fast path must be found on the embedded Tomcat, and what arrives must be the same text, whatever
 * its characters and however much larger than the container's buffers.
 */
class EncodedFramesTest extends ApiTest {

    @Test
    void theContainersEncodedSendIsFound() {
        assertThat(EncodedTextSender.available()).isTrue();
    }

    @Test
    void multiByteAndLongFramesArriveIntactOnEveryOtherDevice() {
        TestClient.User alice = api.register("wsenc");
        TestClient.User bob = api.register("wsenc");
        UUID conversation = chat.direct(alice, bob);
        String shortText = "héllo wörld ✓ 漢字 \uD83D\uDE00 \"quoted\" \\ back";
        // Well past the 1 KiB WebSocket buffers and the 2 KiB socket write buffer, with multi-byte characters
        // straddling every boundary.
        String longText = "é\uD83D\uDE00漢".repeat(700);
        try (WsClient phone = WsClient.connect(api, alice);
                WsClient bobPhone = WsClient.connect(api, bob);
                WsClient bobLaptop = WsClient.connect(api, bob)) {
            int n = 0;
            for (String text : new String[] {shortText, longText}) {
                String key = "enc-" + n++;
                phone.send(
                        "message.send",
                        Map.of(
                                "conversation_id",
                                conversation.toString(),
                                "type",
                                "text",
                                "content",
                                text,
                                "client_message_id",
                                key));
                JsonNode ack = phone.await(
                        "message.ack",
                        d -> d.path("client_message_id").asString().equals(key));
                assertThat(ack.path("message").path("content").asString()).isEqualTo(text);
                String id = ack.path("message").path("message_id").asString();
                for (WsClient device : new WsClient[] {bobPhone, bobLaptop}) {
                    JsonNode event = device.await(
                            "message.new",
                            d -> d.path("message").path("message_id").asString().equals(id));
                    assertThat(event.path("message").path("content").asString()).isEqualTo(text);
                }
            }
        }
    }
}
