package dev.parley.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.audit.*}: how long entries are kept ({@code retention}; {@code 0} keeps them for ever) and how often
 * the purge looks ({@code purge-interval}), and the flood control of acts a stranger can repeat at will
 * ({@code flood}; see {@link AuditThrottle}).
 */
@ConfigurationProperties("parley.audit")
public record AuditProperties(
        @DefaultValue("365d") Duration retention,
        @DefaultValue("1h") Duration purgeInterval,
        @DefaultValue Flood flood) {

    public AuditProperties {
        if (retention == null || retention.isNegative()) {
            throw new IllegalArgumentException("parley.audit.retention must be 0 (keep for ever) or positive");
        }
        if (purgeInterval == null || purgeInterval.toSeconds() < 1) {
            throw new IllegalArgumentException("parley.audit.purge-interval must be at least 1s");
        }
    }

    public boolean keepsForever() {
        return retention.isZero();
    }

    /**
     * Per {@code window} (aligned to the clock, per node): the first {@code perKey} entries of one key (for a
     * failed login: the username and client address) and at most {@code perWindow} of one action in all are
     * recorded one by one; the rest are counted into one summary entry per action and window.
     */
    public record Flood(
            @DefaultValue("5") int perKey,
            @DefaultValue("100") int perWindow,
            @DefaultValue("1m") Duration window) {

        public Flood {
            if (perKey < 0 || perWindow < 0) {
                throw new IllegalArgumentException("parley.audit.flood.per-key and per-window must be 0 or more");
            }
            if (window == null || window.toSeconds() < 1) {
                throw new IllegalArgumentException("parley.audit.flood.window must be at least 1s");
            }
        }
    }
}
