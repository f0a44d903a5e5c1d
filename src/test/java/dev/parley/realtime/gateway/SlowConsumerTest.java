package dev.parley.realtime.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A device that stops reading is dropped, and nobody else waits for it. */
class SlowConsumerTest extends ApiTest {

    /** About 16 KB of UTF-8 per message, within the 4,000 code point limit. */
    private static final String LARGE = "😀".repeat(3_900);

    @Autowired
    private SessionRegistry sessions;

    @Test
    void aClientThatStopsReadingIsClosedWith4008WhileTheOthersGetEverything() {
        TestClient.User alice = api.register("slow");
        TestClient.User bob = api.register("slow");
        TestClient.User carol = api.register("slow");
        UUID group = chat.group(alice, "firehose", bob, carol);
        try (WsClient stalled = WsClient.connectPaused(api, bob);
                WsClient reader = WsClient.connect(api, carol)) {
            int[] sent = {0};
            // Send until the server gives up on bob's socket; the socket buffers in between take some megabytes.
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        for (int i = 0; i < 20; i++) {
                            chat.sendOk(alice, group, LARGE);
                            sent[0]++;
                        }
                        return sessions.of(bob.id()).isEmpty();
                    });
            assertThat(sessions.of(carol.id())).hasSize(1);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> reader.received("message.new").size() == sent[0]);

            stalled.resume();
            assertThat(stalled.closeCode())
                    .succeedsWithin(Duration.ofSeconds(20))
                    .isEqualTo(4008);
            assertThat(stalled.received("message.new")).hasSizeLessThan(sent[0]);
        }
    }
}
