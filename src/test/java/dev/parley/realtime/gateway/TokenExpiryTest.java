package dev.parley.realtime.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A socket lives no longer than the access token it was opened with: when the token expires the server closes it
 * with 4001, and the client reconnects with a refreshed token. A node of the test's own issues 3-second tokens.
 */
class TokenExpiryTest {

    private static ConfigurableApplicationContext node;
    private static TestClient api;

    @BeforeAll
    static void start() {
        node = SendRun.startNode("--parley.auth.access-token-ttl=3s");
        api = SendRun.client(node);
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theSocketIsClosedWith4001WhenItsTokenExpiresAndARefreshedTokenConnectsAgain() {
        TestClient.User alice = api.register("texp");
        long opened = System.nanoTime();
        try (WsClient socket = WsClient.connect(api, alice)) {
            socket.send("ping", Map.of("n", 1));
            socket.await("pong");

            assertThat(socket.closeCode())
                    .succeedsWithin(Duration.ofSeconds(15))
                    .isEqualTo(4001);
            // Not before the token ran out (its exp has whole seconds, so up to one second early).
            assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThan(Duration.ofMillis(1_500));
        }

        String fresh = api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", alice.refreshToken()))
                .expect(200)
                .text("access_token");
        try (WsClient again = WsClient.connect(api, new TestClient.User(alice.id(), alice.username(), fresh, null))) {
            again.send("ping", Map.of("n", 2));
            again.await("pong");
            assertThat(again.isOpen()).isTrue();
        }
    }
}
