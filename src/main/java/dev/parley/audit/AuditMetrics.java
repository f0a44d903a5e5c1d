package dev.parley.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code audit.entries{action}} (Prometheus: {@code audit_entries_total}): entries committed to the log;
 * {@code audit.entries.suppressed{action}} ({@code audit_entries_suppressed_total}): flood-controlled acts counted
 * into a summary instead of an entry of their own. Registered up front, so both read 0 before the first act.
 */
@Component
class AuditMetrics {

    static final String ENTRIES = "audit.entries";
    static final String SUPPRESSED = "audit.entries.suppressed";

    private final Map<AuditAction, Counter> entries = new EnumMap<>(AuditAction.class);
    private final Map<AuditAction, Counter> suppressed = new EnumMap<>(AuditAction.class);

    AuditMetrics(MeterRegistry registry) {
        for (AuditAction action : AuditAction.values()) {
            entries.put(
                    action,
                    Counter.builder(ENTRIES)
                            .description("Audit log entries written")
                            .tag("action", action.wireName())
                            .register(registry));
            suppressed.put(
                    action,
                    Counter.builder(SUPPRESSED)
                            .description(
                                    "Flood-controlled acts counted into a summary entry instead of one of their own")
                            .tag("action", action.wireName())
                            .register(registry));
        }
    }

    void written(AuditAction action) {
        entries.get(action).increment();
    }

    void suppressed(AuditAction action) {
        suppressed.get(action).increment();
    }
}
