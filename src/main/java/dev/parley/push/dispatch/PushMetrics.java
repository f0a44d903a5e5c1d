package dev.parley.push.dispatch;

import dev.parley.common.LogThrottle;
import dev.parley.push.Platform;
import dev.parley.push.providers.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code push_sent_total{provider}}, {@code push_failed_total{provider,reason}} (dropped for good),
 * {@code push_retried_total{provider,reason}}, {@code push_pruned_total{provider,reason}} (devices deleted) and
 * {@code push_queue_depth}. A provider that keeps failing (an outage) is logged once per minute per provider, with
 * how many pushes failed since, never once per push.
 */
@Component
class PushMetrics {

    private static final Logger log = LoggerFactory.getLogger(PushMetrics.class);

    private final MeterRegistry registry;
    private final AtomicLong depth = new AtomicLong();
    private final Map<Platform, LogThrottle> outageLog = new EnumMap<>(Platform.class);
    private final Map<Platform, AtomicLong> failedSinceLog = new EnumMap<>(Platform.class);

    PushMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Platform platform : Platform.values()) {
            outageLog.put(platform, new LogThrottle(Duration.ofMinutes(1)));
            failedSinceLog.put(platform, new AtomicLong());
            Counter.builder("push.sent")
                    .tag("provider", platform.wire())
                    .description("Pushes a provider accepted")
                    .register(registry);
        }
        Gauge.builder("push.queue.depth", depth, AtomicLong::get)
                .description("Pushes waiting for their provider (all nodes), as last counted")
                .register(registry);
    }

    void depth(long value) {
        depth.set(value);
    }

    void record(Platform platform, Outcome outcome) {
        String provider = platform.wire();
        switch (outcome.kind()) {
            case SENT -> registry.counter("push.sent", "provider", provider).increment();
            case GONE ->
                registry.counter("push.pruned", "provider", provider, "reason", outcome.reason())
                        .increment();
            case RETRY -> {
                registry.counter("push.retried", "provider", provider, "reason", outcome.reason())
                        .increment();
                outage(platform, outcome);
            }
            case FAILED -> {
                registry.counter("push.failed", "provider", provider, "reason", outcome.reason())
                        .increment();
                outage(platform, outcome);
            }
        }
    }

    private void outage(Platform platform, Outcome outcome) {
        long failed = failedSinceLog.get(platform).incrementAndGet();
        if (outageLog.get(platform).due()) {
            failedSinceLog.get(platform).set(0);
            log.warn(
                    "push_provider_failing provider={} reason={} failures_since_last_line={}",
                    platform.wire(),
                    outcome.reason(),
                    failed);
        }
    }
}
