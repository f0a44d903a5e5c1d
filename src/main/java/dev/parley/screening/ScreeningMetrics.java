package dev.parley.screening;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * {@code moderation.decisions{source, decision}} (Prometheus {@code moderation_decisions_total}): what the content
 * rules ({@code source=rules}: reject, mask), the hook ({@code source=hook}: allow, reject, modify) and image
 * moderation ({@code source=image}: allow, reject) decided; {@code moderation.hook.duration{action}}: the hook's
 * round trips; {@code moderation.hook.failures{action, kind}} (timeout, error, bad_answer). Only refusals and
 * changes are counted for the rules: an allowed text is the send path's ordinary case, counted by messages.sent.
 */
@Component
public class ScreeningMetrics {

    public static final String DECISIONS = "moderation.decisions";
    static final String HOOK_DURATION = "moderation.hook.duration";
    static final String HOOK_FAILURES = "moderation.hook.failures";

    private final MeterRegistry registry;

    ScreeningMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String[] pair : new String[][] {
            {"rules", "reject"},
            {"rules", "mask"},
            {"hook", "allow"},
            {"hook", "reject"},
            {"hook", "modify"},
            {"image", "allow"},
            {"image", "reject"}
        }) {
            decision(pair[0], pair[1]);
        }
    }

    /** Counts one decision of {@code source} (rules, hook, image). */
    public void decided(String source, String decision) {
        decision(source, decision).increment();
    }

    private Counter decision(String source, String decision) {
        return Counter.builder(DECISIONS)
                .description("Moderation decisions by source")
                .tag("source", source)
                .tag("decision", decision)
                .register(registry);
    }

    void hookTook(String action, Duration took) {
        Timer.builder(HOOK_DURATION)
                .description("Round trips to the moderation hook")
                .tag("action", action)
                .publishPercentileHistogram()
                .register(registry)
                .record(took);
    }

    void hookFailed(String action, String kind) {
        Counter.builder(HOOK_FAILURES)
                .description("Moderation hook calls that timed out or failed")
                .tag("action", action)
                .tag("kind", kind)
                .register(registry)
                .increment();
    }
}
