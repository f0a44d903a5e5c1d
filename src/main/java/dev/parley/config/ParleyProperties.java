package dev.parley.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Parley's own settings ({@code parley.*}); Spring Boot's standard properties cover the rest. */
@ConfigurationProperties("parley")
public record ParleyProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue EmbeddedDb embeddedPostgres,
        @DefaultValue Messages messages,
        @DefaultValue Partitions partitions) {

    /** {@code binaries-dir}: where the PostgreSQL binaries are unpacked (default {@code <data-dir>/pg-dist}). */
    public record EmbeddedDb(@DefaultValue("0") int port, @DefaultValue("120s") Duration startTimeout, Path binariesDir) {
    }

    /**
     * {@code idempotency-retention}: how long a {@code client_message_id} is remembered; a retry later than
     * that stores a new message.
     */
    public record Messages(
            @DefaultValue("4000") int maxContentLength,
            @DefaultValue("8") int maxDistinctReactions,
            @DefaultValue("90d") java.time.Duration idempotencyRetention) {
    }

    /** Monthly partitions of {@code messages} are kept created this many months ahead. */
    public record Partitions(@DefaultValue("3") int monthsAhead) {
    }
}
