package dev.parley.realtime.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.Chat;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The order of a graceful shutdown on one node (the rolling restart test checks it behind HAProxy): readiness 503
 * and new sockets refused first, while open sockets are still served through the drain delay; then each open socket
 * is closed with 1001.
 */
class GatewayShutdownTest {

    @Test
    void aClosingNodeTurnsUnreadyRefusesNewSocketsServesOpenOnesThenClosesThemWith1001() throws Exception {
        ConfigurableApplicationContext node = SendRun.startNode("--parley.shutdown.drain-delay=5s");
        Thread closer = null;
        try {
            TestClient api = SendRun.client(node);
            TestClient.User alice = api.register("drain");
            TestClient.User bob = api.register("drain");
            UUID conversation = new Chat(api).direct(alice, bob);
            assertThat(api.get("/health/ready", null).status()).isEqualTo(200);
            try (WsClient socket = WsClient.connect(api, alice)) {
                closer = Thread.ofPlatform().start(node::close);

                await().atMost(Duration.ofSeconds(3))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> api.get("/health/ready", null).status() == 503);
                assertThat(WsClient.refusal(api, bob.token(), null))
                        .as("a handshake while the node drains")
                        .contains(503);
                socket.send("message.send", SendRun.textSend(conversation, "during-the-drain"));
                JsonNode ack = socket.await(
                        "message.ack",
                        a -> a.path("client_message_id").asString().equals("during-the-drain"));
                assertThat(ack.path("message").path("seq").asLong()).isPositive();
                assertThat(socket.isOpen())
                        .as("open sockets are served through the drain")
                        .isTrue();

                assertThat(socket.closeCode().get(30, TimeUnit.SECONDS)).isEqualTo(1001);
            }
        } finally {
            if (closer == null) {
                node.close();
            } else {
                closer.join(Duration.ofSeconds(60));
            }
        }
        assertThat(closer.isAlive()).as("the shutdown ended within its bound").isFalse();
    }
}
