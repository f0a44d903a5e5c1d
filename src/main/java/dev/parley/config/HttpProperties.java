package dev.parley.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code parley.http.*}: {@code allowed-origins}, the origin patterns allowed to call the API from a browser;
 * {@code max-body-size}, the largest request body the API reads (uploads to {@code /storage/} have their own,
 * signed length instead).
 */
@ConfigurationProperties("parley.http")
record HttpProperties(@DefaultValue("*") List<String> allowedOrigins, @DefaultValue("64KB") DataSize maxBodySize) {

    HttpProperties {
        if (maxBodySize.toBytes() < 1) {
            throw new IllegalArgumentException("parley.http.max-body-size must be positive");
        }
    }
}
