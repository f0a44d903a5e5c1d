package dev.parley.message;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.messages.*}: the longest message in code points; how many different emoji one message may carry;
 * {@code idempotency-retention}, how long a {@code client_message_id} is remembered (a retry later than that
 * stores a new message); {@code retention}, how long messages are kept at all (unset: forever); how often and in
 * what batches expired messages are swept.
 */
@ConfigurationProperties("parley.messages")
public record MessageProperties(
        @DefaultValue("4000") int maxContentLength,
        @DefaultValue("8") int maxDistinctReactions,
        @DefaultValue("90d") Duration idempotencyRetention,
        /** Operator-wide message retention; null (unset) keeps messages forever. */
        Duration retention,
        /** How often the expiry sweep (disappearing messages and retention) runs, on one node at a time. */
        @DefaultValue("5s") Duration expirySweepInterval,
        /** Expired messages removed per sweep transaction. */
        @DefaultValue("5000") int expiryBatch) {

    public MessageProperties {
        if (retention != null && !retention.isPositive()) {
            throw new IllegalArgumentException(
                    "parley.messages.retention must be positive, or unset to keep " + "messages forever");
        }
        if (!expirySweepInterval.isPositive() || expiryBatch < 1 || expiryBatch > 100_000) {
            throw new IllegalArgumentException(
                    "parley.messages: expiry-sweep-interval must be positive, " + "expiry-batch 1 to 100000");
        }
    }
}
