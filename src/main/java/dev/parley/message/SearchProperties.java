package dev.parley.message;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.search.*}: {@code timeout} bounds the database time of one search (over it: 503 with
 * Retry-After); {@code index-interval} is how often each node offers to index new, edited and deleted messages
 * (one node at a time does), so results trail sends by about that much.
 */
@ConfigurationProperties("parley.search")
public record SearchProperties(
        @DefaultValue("1s") Duration timeout,
        @DefaultValue("1s") Duration indexInterval) {

    public SearchProperties {
        if (timeout == null || timeout.toMillis() < 1) {
            throw new IllegalArgumentException("parley.search.timeout must be at least 1ms");
        }
        if (indexInterval == null || indexInterval.toMillis() < 1) {
            throw new IllegalArgumentException("parley.search.index-interval must be at least 1ms");
        }
    }
}
