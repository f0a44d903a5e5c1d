package dev.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.config.RedisKeys;
import dev.parley.support.RedisServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Typing is a hint: with Redis down it answers "nobody types", and says so in the log once, not per call. */
class RedisTypingStoreOutageTest {

    @Test
    void anOutageIsReportedOnceNotOncePerCall() {
        Logger logger = (Logger) LoggerFactory.getLogger(RedisTypingStore.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        RedisServer redis = RedisServer.start();
        RedisClient client = RedisClient.create(redis.url());
        try {
            client.setOptions(ClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2))).build());
            StatefulRedisConnection<String, String> connection = client.connect();
            RedisTypingStore store = new RedisTypingStore(connection,
                    new RedisKeys("parley-test-" + UUID.randomUUID()));
            UUID conversation = UUID.randomUUID();
            UUID user = UUID.randomUUID();
            store.start(conversation, user, Instant.now().plusSeconds(10));
            assertThat(store.typing(conversation, Instant.now())).containsOnlyKeys(user);

            redis.kill();
            for (int i = 0; i < 50; i++) {
                assertThat(store.stop(conversation, user)).isFalse();
                store.start(conversation, user, Instant.now().plusSeconds(10));
                assertThat(store.typing(conversation, Instant.now())).isEmpty();
            }
            assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage)
                    .singleElement().asString().startsWith("typing_store_failed");
        } finally {
            logger.detachAppender(appender);
            client.shutdown();
            redis.close();
        }
    }
}
