package dev.parley.common;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.data-dir}: the folder for what a node keeps on disk (the embedded PostgreSQL, generated secrets,
 * the local object store). Shared by several features, so it lives here rather than with any one of them.
 */
@ConfigurationProperties("parley")
public record DataProperties(@DefaultValue("./data") Path dataDir) {}
