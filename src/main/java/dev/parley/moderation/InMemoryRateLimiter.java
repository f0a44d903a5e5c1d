package dev.parley.moderation;

import dev.parley.common.redis.RedisConditions;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Conditional;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The single-node limiter: one {@code tat} per user and limit in a map. An entry whose {@code tat} has passed
 * means the same as no entry (a whole allowance), so the sweep drops it; memory therefore holds only users who
 * took a unit within the last period (a minute for messages, an hour for images), about a hundred bytes each.
 */
@Component
@Conditional(RedisConditions.NotConfigured.class)
class InMemoryRateLimiter extends GcraRateLimiter {

    private record Key(UUID userId, RateLimit limit) {}

    private final Map<Key, Long> tats = new ConcurrentHashMap<>();

    InMemoryRateLimiter(RateLimitProperties properties, RateLimitMetrics metrics, Clock clock) {
        super(properties, metrics, clock);
    }

    @Override
    protected long take(UUID userId, RateLimit limit, RateLimitProperties.Quota quota, int units, long nowMicros) {
        long[] wait = {0};
        // compute is atomic per key: two sends of one user racing cannot both take the last unit.
        tats.compute(new Key(userId, limit), (key, tat) -> {
            Long next = next(tat, nowMicros, quota, units);
            if (next == null) {
                wait[0] = wait(tat, nowMicros, quota, units);
                return tat;
            }
            return next;
        });
        return wait[0];
    }

    @Scheduled(fixedDelayString = "PT1M")
    void sweep() {
        long now = micros(clock.instant());
        // Removes an entry only if it still holds the value tested, so a unit taken meanwhile is never lost.
        tats.values().removeIf(tat -> tat <= now);
    }

    int size() {
        return tats.size();
    }
}
