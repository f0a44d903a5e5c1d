package dev.parley.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.common.redis.RedisConnections;
import dev.parley.common.redis.RedisKeys;
import dev.parley.support.CapturedLog;
import dev.parley.support.MutableClock;
import dev.parley.support.RedisServer;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With Redis down, limits fail open: chat goes on, one warning says so, and the errors metric counts each skip. */
class RedisRateLimiterOutageTest {

    @Test
    void anOutageLetsSendsThroughAndIsReportedOnce() {
        try (CapturedLog log = CapturedLog.of(RedisRateLimiter.class);
                RedisServer redis = RedisServer.start()) {
            RedisClient client = redis.client();
            try {
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                RedisRateLimiter limiter = new RedisRateLimiter(
                        RedisConnections.of(client),
                        new RedisKeys("parley-test-" + UUID.randomUUID()),
                        RateLimiterContract.properties(60),
                        new RateLimitMetrics(registry),
                        new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
                UUID user = UUID.randomUUID();
                for (int i = 0; i < 60; i++) {
                    limiter.acquire(user, RateLimit.MESSAGE);
                }
                // Up, it limits: the outage below is what lets sends through.
                assertThat(catchThrowableOfType(ParleyException.class, () -> limiter.acquire(user, RateLimit.MESSAGE))
                                .code())
                        .isEqualTo(ErrorCode.RATE_LIMIT_EXCEEDED);

                redis.kill();
                for (int i = 0; i < 50; i++) {
                    assertThatCode(() -> limiter.acquire(user, RateLimit.MESSAGE))
                            .doesNotThrowAnyException();
                }
                assertThat(registry.counter(RateLimitMetrics.ERRORS, "limit", "message")
                                .count())
                        .isEqualTo(50);
                assertThat(log.messages()).singleElement().asString().startsWith("rate_limit_unavailable");
            } finally {
                client.shutdown();
            }
        }
    }
}
