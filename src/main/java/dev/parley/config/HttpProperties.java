package dev.parley.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code parley.http.*}: {@code allowed-origins}, origin patterns allowed to call the API from a browser (CORS);
 * {@code trusted-proxies}, the addresses or CIDR ranges of the reverse proxies whose {@code X-Forwarded-For}
 * names the client (empty: none is trusted, and the header is ignored); {@code max-body-size}, the largest request
 * body the API reads (uploads to {@code /storage/} have their own, signed length instead).
 */
@ConfigurationProperties("parley.http")
public record HttpProperties(
        @DefaultValue("*") List<String> allowedOrigins,
        @DefaultValue List<String> trustedProxies,
        @DefaultValue("64KB") DataSize maxBodySize) {

    public HttpProperties {
        if (maxBodySize.toBytes() < 1) {
            throw new IllegalArgumentException("parley.http.max-body-size must be positive");
        }
    }
}
