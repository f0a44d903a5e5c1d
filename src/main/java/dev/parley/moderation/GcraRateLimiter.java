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
    public final void acquire(UUID userId, RateLimit limit, int units) {
        var quota = properties.quota(limit);
        if (quota.isEmpty() || units < 1) {
            return;
        }
        if (units > quota.get().burst()) {
            metrics.refused(limit);
            throw new ParleyException(
                    ErrorCode.VALIDATION_FAILED,
                    "At most " + quota.get().burst() + " " + limit.what() + " per " + period(quota.get())
                            + "; this request asks for " + units,
                    Map.of("limit", limit.key(), "max", quota.get().burst()));
        }
        long waitMicros = take(userId, limit, quota.get(), units, micros(clock.instant()));
        if (waitMicros > 0) {
            metrics.refused(limit);
            throw exceeded(limit, waitMicros);
        }
    }

    /**
     * Takes {@code units} if they are free at {@code nowMicros}; returns 0 when taken, else the microseconds until
     * they are free (and changes nothing).
     */
    protected abstract long take(
            UUID userId, RateLimit limit, RateLimitProperties.Quota quota, int units, long nowMicros);

    /**
     * One step of the algorithm for {@code units} at once; {@code tat} is null for a user without state. Returns
     * the new tat, or null when they are not free.
     */
    static Long next(Long tat, long now, RateLimitProperties.Quota quota, int units) {
        long next = Math.max(tat == null ? now : tat, now) + quota.intervalMicros() * units;
        return next - quota.periodMicros() > now ? null : next;
    }

    /** The wait a refused {@code tat} implies: until it is one period minus the units' intervals away. */
    static long wait(long tat, long now, RateLimitProperties.Quota quota, int units) {
        return Math.max(tat, now) + quota.intervalMicros() * units - quota.periodMicros() - now;
    }

    private static String period(RateLimitProperties.Quota quota) {
        Duration period = Duration.ofNanos(quota.periodMicros() * 1_000);
        return period.toMinutes() >= 60 ? "hour" : period.toSeconds() >= 60 ? "minute" : "period";
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static ParleyException exceeded(RateLimit limit, long waitMicros) {
        // Rounded up: a client that waits what it is told finds the unit free, never a moment too early.
        long seconds = Math.max(1, (waitMicros + 999_999) / 1_000_000);
        // details.retry_after repeats the header for clients (and WebSocket frames) that cannot see headers.
        return new ParleyException(
                ErrorCode.RATE_LIMIT_EXCEEDED,
                "Too many " + limit.what() + "; try again in " + seconds + (seconds == 1 ? " second" : " seconds"),
                Map.of("limit", limit.key(), "retry_after", seconds),
                Duration.ofSeconds(seconds));
    }
}
