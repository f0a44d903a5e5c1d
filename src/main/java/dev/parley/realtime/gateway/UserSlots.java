package dev.parley.realtime.gateway;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many of one kind of long-lived request (event streams, long polls) each user holds open on this node, capped
 * per user: one account cannot tie up threads, connections and database reads without bound. Per node, like the
 * socket registry: a user spread over several nodes may hold the cap on each.
 */
public final class UserSlots {

    /**
     * What a refused client is told to wait: a slot frees as soon as one of the user's other requests ends, which the
     * server cannot foresee, so a short fixed pause.
     */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final Map<UUID, Integer> held = new ConcurrentHashMap<>();
    private final int max;
    private final String limit;
    private final String what;

    /**
     * @param max   slots per user; 0 means no cap
     * @param limit the limit's name in error details ({@code details.limit})
     * @param what  the plural the error message uses ("event streams")
     */
    public UserSlots(int max, String limit, String what) {
        this.max = max;
        this.limit = limit;
        this.what = what;
    }

    /** Takes a slot of {@code user}'s, or throws RATE_LIMIT_EXCEEDED when all are taken. */
    public void acquire(UUID user) {
        boolean[] taken = {false};
        held.compute(user, (k, n) -> {
            int count = n == null ? 0 : n;
            if (max > 0 && count >= max) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        if (!taken[0]) {
            throw exceeded(limit, what, max);
        }
    }

    /** Gives back a slot taken by {@link #acquire}. */
    public void release(UUID user) {
        held.computeIfPresent(user, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Slots {@code user} holds now. */
    int held(UUID user) {
        return held.getOrDefault(user, 0);
    }

    /** The 429 of a per-user cap: RATE_LIMIT_EXCEEDED with {@code details.limit}, {@code max}, {@code retry_after}. */
    static ParleyException exceeded(String limit, String what, int max) {
        return new ParleyException(
                ErrorCode.RATE_LIMIT_EXCEEDED,
                "Too many " + what + " open (at most " + max + " per user); close one, or try again later",
                Map.of("limit", limit, "max", max, "retry_after", RETRY_AFTER.toSeconds()),
                RETRY_AFTER);
    }
}
