package dev.parley.moderation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every limiter does with the contract's defaults (60 messages a minute, 20 images an hour), on a clock the
 * test moves: the whole burst at once, a precise Retry-After, an even refill, refusals that cost nothing.
 */
abstract class RateLimiterContract {

    protected static final RateLimitProperties DEFAULTS = properties(60);

    protected final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00.123456Z"));
    protected final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    protected final RateLimitMetrics metrics = new RateLimitMetrics(registry);
    private final UUID user = UUID.randomUUID();

    /** A limiter with these settings on {@link #clock} and {@link #metrics}. */
    protected abstract RateLimiter limiter(RateLimitProperties properties);

    @Test
    void sixtyMessagesAtOnceThenTheNextWaitsOneSecond() {
        RateLimiter limiter = limiter(DEFAULTS);
        take(limiter, user, RateLimit.MESSAGE, 60);

        ParleyException refused = refused(limiter, user, RateLimit.MESSAGE);
        assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMIT_EXCEEDED);
        assertThat(refused.retryAfterSeconds()).isEqualTo(1L);
        assertThat(refused.details()).isEqualTo(Map.of("limit", "message", "retry_after", 1L));
        assertThat(refused.getMessage()).isEqualTo("Too many messages; try again in 1 second");
        assertThat(registry.counter(RateLimitMetrics.REFUSALS, "limit", "message")
                        .count())
                .isEqualTo(1);
        assertThat(registry.counter(RateLimitMetrics.REFUSALS, "limit", "image_upload")
                        .count())
                .isZero();
    }

    @Test
    void theAllowanceRefillsOneUnitPerIntervalAndWholeAfterThePeriod() {
        RateLimiter limiter = limiter(DEFAULTS);
        take(limiter, user, RateLimit.MESSAGE, 60);

        // Half a second on, the unit is not free yet; the wait is rounded up, never down to 0.
        clock.advance(Duration.ofMillis(500));
        assertThat(refused(limiter, user, RateLimit.MESSAGE).retryAfterSeconds())
                .isEqualTo(1L);
        clock.advance(Duration.ofMillis(500));
        take(limiter, user, RateLimit.MESSAGE, 1);
        refused(limiter, user, RateLimit.MESSAGE);

        // Ten seconds: ten units.
        clock.advance(Duration.ofSeconds(10));
        take(limiter, user, RateLimit.MESSAGE, 10);
        refused(limiter, user, RateLimit.MESSAGE);

        // A minute of silence restores the whole burst, and no more than it.
        clock.advance(Duration.ofMinutes(5));
        take(limiter, user, RateLimit.MESSAGE, 60);
        refused(limiter, user, RateLimit.MESSAGE);
    }

    @Test
    void refusedCallsTakeNothing() {
        RateLimiter limiter = limiter(DEFAULTS);
        take(limiter, user, RateLimit.MESSAGE, 60);
        for (int i = 0; i < 100; i++) {
            refused(limiter, user, RateLimit.MESSAGE);
        }
        // A client hammering while limited is not pushed further back.
        clock.advance(Duration.ofSeconds(1));
        take(limiter, user, RateLimit.MESSAGE, 1);
    }

    @Test
    void twentyImagesAnHourThenTheWaitIsThreeMinutes() {
        RateLimiter limiter = limiter(DEFAULTS);
        take(limiter, user, RateLimit.IMAGE_UPLOAD, 20);
        ParleyException refused = refused(limiter, user, RateLimit.IMAGE_UPLOAD);
        assertThat(refused.retryAfterSeconds()).isEqualTo(180L);
        assertThat(refused.details()).containsEntry("limit", "image_upload");
        assertThat(registry.counter(RateLimitMetrics.REFUSALS, "limit", "image_upload")
                        .count())
                .isEqualTo(1);

        clock.advance(Duration.ofSeconds(179));
        assertThat(refused(limiter, user, RateLimit.IMAGE_UPLOAD).retryAfterSeconds())
                .isEqualTo(1L);
        clock.advance(Duration.ofSeconds(1));
        take(limiter, user, RateLimit.IMAGE_UPLOAD, 1);
    }

    @Test
    void usersAndLimitsAreIndependent() {
        RateLimiter limiter = limiter(DEFAULTS);
        UUID other = UUID.randomUUID();
        take(limiter, user, RateLimit.MESSAGE, 60);
        refused(limiter, user, RateLimit.MESSAGE);

        take(limiter, other, RateLimit.MESSAGE, 60);
        take(limiter, user, RateLimit.IMAGE_UPLOAD, 20);
        take(limiter, user, RateLimit.LOGIN_ATTEMPT, 10);
        refused(limiter, user, RateLimit.LOGIN_ATTEMPT);
    }

    @Test
    void loginAttemptsRefillOverTheirWindow() {
        RateLimiter limiter = limiter(DEFAULTS);
        take(limiter, user, RateLimit.LOGIN_ATTEMPT, 10);
        // Ten per fifteen minutes: one frees every 90 seconds.
        assertThat(refused(limiter, user, RateLimit.LOGIN_ATTEMPT).retryAfterSeconds())
                .isEqualTo(90L);
    }

    @Test
    void zeroTurnsALimitOff() {
        RateLimiter limiter = limiter(properties(0));
        take(limiter, user, RateLimit.MESSAGE, 1_000);
        take(limiter, user, RateLimit.IMAGE_UPLOAD, 20);
        refused(limiter, user, RateLimit.IMAGE_UPLOAD);
    }

    @Test
    void anOddCountStillAllowsExactlyItsBurst() {
        RateLimiter limiter = limiter(properties(7));
        take(limiter, user, RateLimit.MESSAGE, 7);
        // 60 s / 7 = 8.57 s until the next one: told 9.
        assertThat(refused(limiter, user, RateLimit.MESSAGE).retryAfterSeconds())
                .isEqualTo(9L);
        clock.advance(Duration.ofMillis(8_572));
        take(limiter, user, RateLimit.MESSAGE, 1);
    }

    @Test
    void severalUnitsAreTakenAllOrNone() {
        RateLimiter limiter = limiter(DEFAULTS);
        // 300 member adds an hour: one frees every 12 seconds.
        assertThatCode(() -> limiter.acquire(user, RateLimit.MEMBER_ADD, 250)).doesNotThrowAnyException();
        ParleyException refused =
                catchThrowableOfType(ParleyException.class, () -> limiter.acquire(user, RateLimit.MEMBER_ADD, 60));
        assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMIT_EXCEEDED);
        assertThat(refused.retryAfterSeconds()).isEqualTo(120L);
        // The refusal took nothing: the 50 left are all there.
        assertThatCode(() -> limiter.acquire(user, RateLimit.MEMBER_ADD, 50)).doesNotThrowAnyException();
        assertThat(refused(limiter, user, RateLimit.MEMBER_ADD).retryAfterSeconds())
                .isEqualTo(12L);

        ParleyException never = catchThrowableOfType(
                ParleyException.class, () -> limiter.acquire(UUID.randomUUID(), RateLimit.MEMBER_ADD, 301));
        assertThat(never.code()).isEqualTo(ErrorCode.VALIDATION_FAILED);
        assertThat(never.details()).isEqualTo(Map.of("limit", "member_add", "max", 300L));
    }

    protected static void take(RateLimiter limiter, UUID user, RateLimit limit, int units) {
        for (int i = 0; i < units; i++) {
            int unit = i + 1;
            assertThatCode(() -> limiter.acquire(user, limit))
                    .as("%s unit %d", limit, unit)
                    .doesNotThrowAnyException();
        }
    }

    protected static ParleyException refused(RateLimiter limiter, UUID user, RateLimit limit) {
        ParleyException e = catchThrowableOfType(ParleyException.class, () -> limiter.acquire(user, limit));
        assertThat(e).as("%s refused", limit).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMIT_EXCEEDED);
        return e;
    }

    /** The defaults, with this many messages a minute. */
    static RateLimitProperties properties(int messagesPerMinute) {
        return new RateLimitProperties(
                messagesPerMinute,
                20,
                10,
                100,
                Duration.ofMinutes(15),
                20,
                300,
                20,
                Duration.ofHours(1),
                10,
                30,
                60,
                60,
                120,
                30,
                100);
    }
}
