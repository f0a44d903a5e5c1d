package dev.parley.export;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.exports.*}: how long a finished export is kept ({@code keep}) and how long one download link works
 * ({@code link-ttl}).
 */
@ConfigurationProperties("parley.exports")
public record ExportProperties(
        @DefaultValue("7d") Duration keep,
        @DefaultValue("5m") Duration linkTtl) {

    public ExportProperties {
        if (!keep.isPositive() || !linkTtl.isPositive()) {
            throw new IllegalArgumentException("parley.exports: keep and link-ttl must be positive");
        }
    }
}
