package dev.parley.contact;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.contacts.*}: the {@code policy} ({@code PARLEY_CONTACT_POLICY}, default {@code open}) and the
 * host app's contact lookup ({@code lookup.url}, {@code lookup.secret}, {@code lookup.timeout},
 * {@code lookup.cache-ttl}, {@code lookup.on-failure}: {@code allow} treats the pair as contacts when the host does
 * not answer in time or fails, {@code deny} as strangers).
 */
@ConfigurationProperties("parley.contacts")
public record ContactProperties(
        @DefaultValue("open") ContactPolicy policy,
        @DefaultValue Lookup lookup) {

    public enum OnFailure {
        ALLOW,
        DENY
    }

    public record Lookup(
            URI url,
            String secret,
            @DefaultValue("500ms") Duration timeout,
            @DefaultValue("30s") Duration cacheTtl,
            @DefaultValue("10000") int cacheSize,
            @DefaultValue("deny") OnFailure onFailure) {

        public Lookup {
            if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw new IllegalArgumentException("parley.contacts.lookup.url must be an http(s) URL");
            }
            if (url != null && (secret == null || secret.isBlank())) {
                throw new IllegalArgumentException("parley.contacts.lookup.secret is required with lookup.url");
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toSeconds() > 10) {
                throw new IllegalArgumentException("parley.contacts.lookup.timeout must be 1 ms to 10 s");
            }
            if (cacheTtl == null || cacheTtl.isNegative() || cacheTtl.toMinutes() > 60) {
                throw new IllegalArgumentException("parley.contacts.lookup.cache-ttl must be 0 to 60 minutes");
            }
            if (cacheSize < 0 || cacheSize > 1_000_000) {
                throw new IllegalArgumentException("parley.contacts.lookup.cache-size must be 0 to 1,000,000");
            }
        }

        public boolean enabled() {
            return url != null;
        }
    }
}
