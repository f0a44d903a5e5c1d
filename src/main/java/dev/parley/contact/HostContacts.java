package dev.parley.contact;

import dev.parley.common.Ids;
import dev.parley.common.WebhookSignature;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The host app's friendships: {@code GET <lookup.url>?user_id=&other_id=} answered {@code {contact: true|false}}
 * (the host app's ids: its tokens' subjects for the users it provisioned, Parley's user ids for Parley's own),
 * signed as webhooks are ({@code Parley-Webhook-Id}, {@code Parley-Webhook-Timestamp} and
 * {@code Parley-Webhook-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<query>">}: a GET has no body, so the
 * query string stands in for it). Answers are cached per pair for {@code cache-ttl}, both ways round; a timeout,
 * a non-2xx answer or nonsense is not cached and is settled by {@code on-failure}.
 */
@Component
class HostContacts {

    private static final Logger log = LoggerFactory.getLogger(HostContacts.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ANSWER = 4096;

    private record Cached(boolean contact, Instant until) {}

    private final ContactProperties.Lookup config;
    private final Clock clock;
    private final HttpClient client;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    HostContacts(ContactProperties properties, Clock clock) {
        this.config = properties.lookup();
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    boolean enabled() {
        return config.enabled();
    }

    /**
     * Whether the host app says the two are contacts; on failure, what {@code on-failure} says. The host is asked
     * with its own ids for them ({@code hostA}, {@code hostB}: its token's subjects, or Parley's ids for Parley's
     * own accounts); the cache is keyed by Parley's.
     */
    boolean areContacts(UUID a, UUID b, String hostA, String hostB) {
        String key = a.compareTo(b) < 0 ? a + ":" + b : b + ":" + a;
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.contact();
        }
        Optional<Boolean> answer = ask(hostA, hostB);
        if (answer.isEmpty()) {
            return config.onFailure() == ContactProperties.OnFailure.ALLOW;
        }
        if (!config.cacheTtl().isZero() && config.cacheSize() > 0) {
            if (cache.size() >= config.cacheSize()) {
                // Bounded and crude: a full cache starts over (entries live seconds anyway).
                cache.clear();
            }
            cache.put(key, new Cached(answer.get(), now.plus(config.cacheTtl())));
        }
        return answer.get();
    }

    private Optional<Boolean> ask(String a, String b) {
        String query = "user_id=" + URLEncoder.encode(a, StandardCharsets.UTF_8) + "&other_id="
                + URLEncoder.encode(b, StandardCharsets.UTF_8);
        try {
            long timestamp = clock.instant().getEpochSecond();
            URI base = config.url();
            String separator = base.getRawQuery() == null ? "?" : "&";
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + separator + query))
                    .timeout(config.timeout())
                    .header("Accept", "application/json")
                    .header("Parley-Webhook-Id", Ids.uuidV7(clock.millis()).toString())
                    .header("Parley-Webhook-Timestamp", Long.toString(timestamp))
                    .header("Parley-Webhook-Signature", WebhookSignature.sign(config.secret(), timestamp, query))
                    .GET()
                    .build();
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] bytes;
            try (InputStream in = response.body()) {
                bytes = in.readNBytes(MAX_ANSWER + 1);
            }
            if (response.statusCode() / 100 != 2 || bytes.length > MAX_ANSWER) {
                log.warn("contacts_lookup_failed status={}", response.statusCode());
                return Optional.empty();
            }
            JsonNode node = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
            if (node == null || !node.path("contact").isBoolean()) {
                log.warn("contacts_lookup_bad_answer");
                return Optional.empty();
            }
            return Optional.of(node.get("contact").asBoolean());
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            log.warn("contacts_lookup_failed error=\"{}\"", e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
