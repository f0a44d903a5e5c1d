package dev.parley.webhook;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.webhook.*} ({@code PARLEY_WEBHOOK_URL}, {@code PARLEY_WEBHOOK_SECRET}): both set turns webhooks
 * on. {@code give-up-after} is how long one delivery is retried (at least 24 h) before it is dropped and logged.
 */
@ConfigurationProperties("parley.webhook")
public record WebhookProperties(
        URI url,
        String secret,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("500ms") Duration interval,
        @DefaultValue("72h") Duration giveUpAfter,
        @DefaultValue("10m") Duration maxBackoff) {

    public WebhookProperties {
        if (url != null && !"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
            throw new IllegalArgumentException("parley.webhook.url must be an http or https URL");
        }
        if (url != null && (secret == null || secret.length() < 16)) {
            throw new IllegalArgumentException(
                    "parley.webhook.secret must be set (at least 16 characters) with " + "parley.webhook.url");
        }
        if (giveUpAfter == null || giveUpAfter.compareTo(Duration.ofHours(24)) < 0) {
            throw new IllegalArgumentException("parley.webhook.give-up-after must be at least 24h");
        }
    }

    public boolean enabled() {
        return url != null;
    }
}
