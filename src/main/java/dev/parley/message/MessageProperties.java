package dev.parley.message;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.messages.*}: the longest message in code points; how many different emoji one message may carry;
 * {@code idempotency-retention}, how long a {@code client_message_id} is remembered (a retry later than that
 * stores a new message).
 */
@ConfigurationProperties("parley.messages")
public record MessageProperties(
        @DefaultValue("4000") int maxContentLength,
        @DefaultValue("8") int maxDistinctReactions,
        @DefaultValue("90d") Duration idempotencyRetention) {}
