package dev.parley.moderation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code rate.limit.refusals{limit}} (Prometheus: {@code rate_limit_refusals_total}): requests refused with 429;
 * {@code rate.limit.errors{limit}}: checks skipped because the shared store (Redis) failed, each one a request let
 * through unlimited. Registered up front, like {@link dev.parley.common.ChatMetrics}, so both read 0 before the
 * first event and an alert on them has a series to watch.
 */
@Component
class RateLimitMetrics {

    static final String REFUSALS = "rate.limit.refusals";
    static final String ERRORS = "rate.limit.errors";

    private final Map<RateLimit, Counter> refusals = new EnumMap<>(RateLimit.class);
    private final Map<RateLimit, Counter> errors = new EnumMap<>(RateLimit.class);

    RateLimitMetrics(MeterRegistry registry) {
        for (RateLimit limit : RateLimit.values()) {
            refusals.put(
                    limit,
                    Counter.builder(REFUSALS)
                            .description("Requests refused by a rate limit")
                            .tag("limit", limit.key())
                            .register(registry));
            errors.put(
                    limit,
                    Counter.builder(ERRORS)
                            .description("Rate limit checks skipped (let through) because the limit store failed")
                            .tag("limit", limit.key())
                            .register(registry));
        }
    }

    void refused(RateLimit limit) {
        refusals.get(limit).increment();
    }

    void failed(RateLimit limit) {
        errors.get(limit).increment();
    }
}
