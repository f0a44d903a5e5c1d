package dev.parley.moderation;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The GCRA (generic cell rate algorithm) both limiters share. Per user and limit one number is kept: the
 * theoretical arrival time {@code tat}, the moment the user's allowance would be whole again. Taking a unit moves
 * it one interval later (from now, if it lies in the past); a unit may be taken while {@code tat} stays within one
 * period of now. So a fresh user has the whole burst, it refills evenly, a refused call changes nothing, and the
 * wait until the next unit is exact: the basis of a precise {@code Retry-After}. Unlike a counter per fixed window
 * it never lets twice the limit through across a window boundary.
 */
abstract class GcraRateLimiter implements RateLimiter {

    private final RateLimitProperties properties;
    protected final RateLimitMetrics metrics;
    protected final Clock clock;

    GcraRateLimiter(RateLimitProperties properties, RateLimitMetrics metrics, Clock clock) {
        this.properties = properties;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public final void acquire(UUID userId, RateLimit limit) {
        var quota = properties.quota(limit);
        if (quota.isEmpty()) {
            return;
        }
        long waitMicros = take(userId, limit, quota.get(), micros(clock.instant()));
        if (waitMicros > 0) {
            metrics.refused(limit);
            throw exceeded(limit, waitMicros);
        }
    }

    /**
     * Takes a unit if one is free at {@code nowMicros}; returns 0 when taken, else the microseconds until one is
     * free (and changes nothing).
     */
    protected abstract long take(UUID userId, RateLimit limit, RateLimitProperties.Quota quota, long nowMicros);

    /** One step of the algorithm; {@code tat} is null for a user without state. Returns the new tat, or null. */
    static Long next(Long tat, long now, RateLimitProperties.Quota quota) {
        long next = Math.max(tat == null ? now : tat, now) + quota.intervalMicros();
        return next - quota.periodMicros() > now ? null : next;
    }

    /** The wait a refused {@code tat} implies: until it is one period minus one interval away. */
    static long wait(long tat, long now, RateLimitProperties.Quota quota) {
        return Math.max(tat, now) + quota.intervalMicros() - quota.periodMicros() - now;
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static ParleyException exceeded(RateLimit limit, long waitMicros) {
        // Rounded up: a client that waits what it is told finds the unit free, never a moment too early.
        long seconds = Math.max(1, (waitMicros + 999_999) / 1_000_000);
        // details.retry_after repeats the header for clients (and WebSocket frames) that cannot see headers.
        return new ParleyException(ErrorCode.RATE_LIMIT_EXCEEDED,
                "Too many " + limit.what() + "; try again in " + seconds + (seconds == 1 ? " second" : " seconds"),
                Map.of("limit", limit.key(), "retry_after", seconds), Duration.ofSeconds(seconds));
    }
}
