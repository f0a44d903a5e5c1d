package dev.parley.screening;

import dev.parley.common.Ids;
import dev.parley.common.WebhookSignature;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's pre-send hook: one signed POST per act, answered with {@code {decision, content?, reason?}}.
 * Signed as webhooks are: {@code Parley-Webhook-Id}, {@code Parley-Webhook-Timestamp} (unix seconds) and
 * {@code Parley-Webhook-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">}. A timeout, a non-2xx answer
 * or an answer that is not one of the three decisions is a failure, which the caller settles by the configured
 * policy; it is never retried (the user is waiting).
 */
@Component
class ModerationHook {

    private static final Logger log = LoggerFactory.getLogger(ModerationHook.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** An answer is a small JSON object; anything longer is not one. */
    private static final int MAX_ANSWER = 256 * 1024;

    /** What the hook decided; {@code content} only with modify. */
    record Answer(String decision, String content, String reason) {}

    private final ScreeningProperties.Hook config;
    private final ScreeningMetrics metrics;
    private final Clock clock;
    private final HttpClient client;

    ModerationHook(ScreeningProperties properties, ScreeningMetrics metrics, Clock clock) {
        this.config = properties.hook();
        this.metrics = metrics;
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    boolean enabled() {
        return config.enabled();
    }

    ScreeningProperties.OnFailure onFailure() {
        return config.onFailure();
    }

    /** The hook's answer, or empty when it timed out, failed or answered nonsense (counted and logged). */
    Optional<Answer> ask(String action, Map<String, Object> body) {
        long started = System.nanoTime();
        String kind = "error";
        try {
            String raw = JSON.writeValueAsString(body);
            long timestamp = clock.instant().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(config.url())
                    .timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header("Parley-Webhook-Id", Ids.uuidV7(clock.millis()).toString())
                    .header("Parley-Webhook-Timestamp", Long.toString(timestamp))
                    .header("Parley-Webhook-Signature", WebhookSignature.sign(config.secret(), timestamp, raw))
                    .POST(HttpRequest.BodyPublishers.ofString(raw, StandardCharsets.UTF_8))
                    .build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] bytes;
            try (InputStream in = response.body()) {
                bytes = in.readNBytes(MAX_ANSWER + 1);
            }
            if (response.statusCode() / 100 != 2 || bytes.length > MAX_ANSWER) {
                log.warn("moderation_hook_failed action={} status={}", action, response.statusCode());
                metrics.hookFailed(action, "error");
                return Optional.empty();
            }
            kind = "bad_answer";
            Optional<Answer> answer = parse(bytes);
            if (answer.isEmpty()) {
                log.warn("moderation_hook_bad_answer action={}", action);
                metrics.hookFailed(action, kind);
            }
            return answer;
        } catch (HttpTimeoutException e) {
            log.warn(
                    "moderation_hook_timeout action={} timeout_ms={}",
                    action,
                    config.timeout().toMillis());
            metrics.hookFailed(action, "timeout");
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.warn("moderation_hook_failed action={} error=\"{}\"", action, e.toString());
            metrics.hookFailed(action, kind);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            metrics.hookFailed(action, "error");
            return Optional.empty();
        } finally {
            metrics.hookTook(action, Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static Optional<Answer> parse(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject() || !node.path("decision").isString()) {
                return Optional.empty();
            }
            String decision = node.get("decision").asString();
            String content =
                    node.path("content").isString() ? node.get("content").asString() : null;
            String reason = node.path("reason").isString() ? node.get("reason").asString() : null;
            boolean known = decision.equals("allow")
                    || decision.equals("reject")
                    || (decision.equals("modify") && content != null);
            return known ? Optional.of(new Answer(decision, content, reason)) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }
}
