package dev.parley.screening;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code parley.moderation.*}: the operator's content rules ({@code rules-file}, one rule a line, and/or the inline
 * {@code rules} list, e.g. {@code PARLEY_MODERATION_RULES="reject casino bonus,mask /d[a@]rn/"}), and the pre-send
 * hook ({@code hook.url}, {@code hook.secret}, {@code hook.timeout}, {@code hook.on-failure}: {@code allow} lets
 * content through when the hook times out or fails, {@code reject} refuses it), and image moderation
 * ({@code image.*}, see {@link Image}).
 */
@ConfigurationProperties("parley.moderation")
public record ScreeningProperties(
        Path rulesFile,
        @DefaultValue List<String> rules,
        @DefaultValue Hook hook,
        @DefaultValue Image image) {

    public enum OnFailure {
        ALLOW,
        REJECT
    }

    public record Hook(
            URI url,
            String secret,
            @DefaultValue("1s") Duration timeout,
            @DefaultValue("allow") OnFailure onFailure) {

        public Hook {
            if (url != null && !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw new IllegalArgumentException("parley.moderation.hook.url must be an http(s) URL");
            }
            if (url != null && (secret == null || secret.isBlank())) {
                throw new IllegalArgumentException("parley.moderation.hook.secret is required with hook.url");
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toSeconds() > 30) {
                throw new IllegalArgumentException("parley.moderation.hook.timeout must be 1 ms to 30 s");
            }
        }

        public boolean enabled() {
            return url != null;
        }
    }

    public enum Provider {
        NONE,
        REKOGNITION
    }

    /**
     * Image moderation after processing: {@code provider} ({@code none}, {@code rekognition}); for Rekognition the
     * {@code region}, an {@code endpoint} override (a VPC endpoint, a stand-in), static credentials
     * ({@code access-key-id}, {@code secret-access-key}; unset: the SDK's default chain), {@code min-confidence}
     * (0-100, default 80) and the {@code labels} that flag an image (top-level categories or labels; empty: any).
     * {@code on-failure}: {@code reject} (default) never publishes an image the provider could not check.
     */
    public record Image(
            @DefaultValue("none") Provider provider,
            @DefaultValue("us-east-1") String region,
            URI endpoint,
            String accessKeyId,
            String secretAccessKey,
            @DefaultValue("80") float minConfidence,
            @DefaultValue List<String> labels,
            @DefaultValue("reject") OnFailure onFailure) {

        public Image {
            if (minConfidence < 0 || minConfidence > 100) {
                throw new IllegalArgumentException("parley.moderation.image.min-confidence must be 0-100");
            }
        }
    }
}
