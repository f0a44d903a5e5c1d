package dev.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.redis.RedisConnections;
import dev.parley.common.redis.RedisKeys;
import dev.parley.support.CapturedLog;
import dev.parley.support.RedisServer;
import io.lettuce.core.RedisClient;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Typing is a hint: with Redis down it answers "nobody types", and says so in the log once, not per call. */
class RedisTypingStoreOutageTest {

    @Test
    void anOutageIsReportedOnceNotOncePerCall() {
        try (CapturedLog log = CapturedLog.of(RedisTypingStore.class);
                RedisServer redis = RedisServer.start()) {
            RedisClient client = redis.client();
            try {
                RedisTypingStore store = new RedisTypingStore(
                        RedisConnections.of(client), new RedisKeys("parley-test-" + UUID.randomUUID()));
                UUID conversation = UUID.randomUUID();
                UUID user = UUID.randomUUID();
                assertThat(store.start(
                                conversation,
                                user,
                                Instant.now(),
                                Instant.now().plusSeconds(10),
                                TypingService.ANNOUNCE_EVERY))
                        .isTrue();
                assertThat(store.typing(conversation, Instant.now())).containsOnlyKeys(user);

                redis.kill();
                for (int i = 0; i < 50; i++) {
                    assertThat(store.stop(conversation, user)).isFalse();
                    assertThat(store.start(
                                    conversation,
                                    user,
                                    Instant.now(),
                                    Instant.now().plusSeconds(10),
                                    TypingService.ANNOUNCE_EVERY))
                            .isFalse();
                    assertThat(store.typing(conversation, Instant.now())).isEmpty();
                }
                assertThat(log.messages()).singleElement().asString().startsWith("typing_store_failed");
            } finally {
                client.shutdown();
            }
        }
    }
}
