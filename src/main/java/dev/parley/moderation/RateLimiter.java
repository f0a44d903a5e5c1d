package dev.parley.moderation;

import java.util.UUID;

/**
 * Per-user allowances: {@link RateLimitProperties} sets how many units of each {@link RateLimit} a user may take
 * in a period, all at once if they like (the burst), refilling evenly over the period. In process by default;
 * shared through Redis when several nodes run.
 */
public interface RateLimiter {

    /**
     * Takes one unit of the user's allowance for this limit, or throws ParleyException(RATE_LIMIT_EXCEEDED) whose
     * Retry-After is the whole seconds until one unit is free again. A refused call takes nothing.
     */
    default void acquire(UUID userId, RateLimit limit) {
        acquire(userId, limit, 1);
    }

    /**
     * Takes {@code units} at once, all or none (one request adding several users to a group). Throws
     * RATE_LIMIT_EXCEEDED as above, with the wait until all of them are free; VALIDATION_FAILED when they exceed
     * the whole allowance, so that no wait would ever let the request through.
     */
    void acquire(UUID userId, RateLimit limit, int units);
}
