package dev.parley.message;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code parley.partitions.months-ahead}: monthly partitions of {@code messages} are kept created this far ahead. */
@ConfigurationProperties("parley.partitions")
public record PartitionProperties(@DefaultValue("3") int monthsAhead) {}
