package dev.parley.realtime.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Frames longer than the container's small buffer are assembled; frames over the cap close the socket (1009). */
class FrameSizeTest extends ApiTest {

    @Test
    void aLongMessageArrivesWholeAndAnOversizedFrameClosesWith1009() {
        TestClient.User alice = api.register("frame");
        TestClient.User bob = api.register("frame");
        UUID conversation = chat.direct(alice, bob);
        // 4,000 emoji: the longest allowed message, ~16,000 UTF-16 chars, far past the container's buffer.
        String longest = "😀".repeat(4000);
        try (WsClient socket = WsClient.connect(api, alice)) {
            socket.send(
                    "message.send",
                    Map.of(
                            "conversation_id",
                            conversation.toString(),
                            "type",
                            "text",
                            "content",
                            longest,
                            "client_message_id",
                            "long-1"));
            var ack = socket.await("message.ack");
            assertThat(ack.path("message").path("content").asString()).isEqualTo(longest);

            socket.sendRaw("{\"type\":\"ping\",\"data\":{\"pad\":\"" + "x".repeat(70_000) + "\"}}");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> socket.closeCode().isDone());
            assertThat(socket.closeCode().join()).isEqualTo(1009);
        }
    }
}
