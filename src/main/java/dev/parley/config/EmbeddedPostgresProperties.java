package dev.parley.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.embedded-postgres.*}, for the PostgreSQL Parley starts when no database is configured:
 * {@code binaries-dir}, where its binaries are unpacked (default {@code <data-dir>/pg-dist}).
 */
@ConfigurationProperties("parley.embedded-postgres")
public record EmbeddedPostgresProperties(
        @DefaultValue("0") int port, @DefaultValue("120s") Duration startTimeout, Path binariesDir) {}
