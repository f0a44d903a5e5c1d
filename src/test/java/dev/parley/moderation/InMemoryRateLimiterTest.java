package dev.parley.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.ParleyException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryRateLimiterTest extends RateLimiterContract {

    @Override
    protected InMemoryRateLimiter limiter(RateLimitProperties properties) {
        return new InMemoryRateLimiter(properties, metrics, clock);
    }

    @Test
    void entriesGoOnceTheirAllowanceIsWholeAgain() {
        InMemoryRateLimiter limiter = limiter(DEFAULTS);
        for (int i = 0; i < 1_000; i++) {
            limiter.acquire(UUID.randomUUID(), RateLimit.MESSAGE);
        }
        UUID imageUser = UUID.randomUUID();
        limiter.acquire(imageUser, RateLimit.IMAGE_UPLOAD);
        limiter.sweep();
        assertThat(limiter.size()).isEqualTo(1_001);

        // One message's state lasts one interval (1 s); one image's lasts 3 minutes.
        clock.advance(Duration.ofSeconds(1));
        limiter.sweep();
        assertThat(limiter.size()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(3));
        limiter.sweep();
        assertThat(limiter.size()).isZero();
        // Forgetting is lossless: the user has the whole allowance, as the state said.
        take(limiter, imageUser, RateLimit.IMAGE_UPLOAD, 20);
        refused(limiter, imageUser, RateLimit.IMAGE_UPLOAD);
    }

    @Test
    void concurrentSendsOfOneUserNeverShareTheLastUnit() throws Exception {
        InMemoryRateLimiter limiter = limiter(DEFAULTS);
        UUID user = UUID.randomUUID();
        var accepted = new AtomicInteger();
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 200; i++) {
                pool.submit(() -> {
                    try {
                        limiter.acquire(user, RateLimit.MESSAGE);
                        accepted.incrementAndGet();
                    } catch (ParleyException refused) {
                        // expected for all but 60
                    }
                });
            }
        }
        assertThat(accepted).hasValue(60);
    }
}
