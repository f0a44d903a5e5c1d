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
 * content through when the hook times out or fails, {@code reject} refuses it).
 */
@ConfigurationProperties("parley.moderation")
public record ScreeningProperties(Path rulesFile, @DefaultValue List<String> rules, @DefaultValue Hook hook) {

    public enum OnFailure {
        ALLOW, REJECT
    }

    public record Hook(URI url, String secret, @DefaultValue("1s") Duration timeout,
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
}
