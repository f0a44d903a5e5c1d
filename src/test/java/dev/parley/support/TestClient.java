package dev.parley.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small JSON-over-HTTP client for tests: every call goes through the public API. */
public final class TestClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final AtomicLong COUNTER = new AtomicLong();

    private final String base;

    public TestClient(String base) {
        this.base = base;
    }

    public String base() {
        return base;
    }

    /** A response: status, parsed JSON body (null when empty or not JSON), headers. */
    public record Resp(int status, JsonNode json, String raw, HttpHeaders headers) {

        public Resp expect(int expected) {
            assertThat(status).as("HTTP status of a response with body %s", raw).isEqualTo(expected);
            return this;
        }

        /** Asserts the contract's error body with this status and code. */
        public Resp expectError(int expected, String code) {
            expect(expected);
            assertThat(json).as("error body").isNotNull();
            assertThat(json.path("code").asString()).as("error code in %s", raw).isEqualTo(code);
            assertThat(json.path("message").asString()).isNotBlank();
            assertThat(json.has("details")).isTrue();
            return this;
        }

        public String text(String field) {
            return json.path(field).asString();
        }

        public UUID id(String field) {
            return UUID.fromString(json.path(field).asString());
        }
    }

    /** A registered user with a valid access token. */
    public record User(UUID id, String username, String token, String refreshToken) {}

    public static String uniqueName(String prefix) {
        return (prefix + "_" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + COUNTER.incrementAndGet())
                .toLowerCase();
    }

    public User register(String prefix) {
        String username = uniqueName(prefix);
        Resp resp = post(
                        "/api/v1/auth/register",
                        null,
                        Map.of("username", username, "password", "correct horse", "display_name", prefix + " person"))
                .expect(201);
        return new User(
                UUID.fromString(resp.json().path("user").path("user_id").asString()),
                username,
                resp.text("access_token"),
                resp.text("refresh_token"));
    }

    public Resp get(String path, String token) {
        return send("GET", path, token, null);
    }

    public Resp post(String path, String token, Object body) {
        return send("POST", path, token, body);
    }

    /** A POST with extra headers ({@code X-Forwarded-For}, {@code User-Agent}, ...). */
    public Resp post(String path, String token, Object body, Map<String, String> headers) {
        return exchange("POST", path, token, body == null ? null : JSON.writeValueAsString(body), headers);
    }

    public Resp put(String path, String token, Object body) {
        return send("PUT", path, token, body);
    }

    public Resp patch(String path, String token, Object body) {
        return send("PATCH", path, token, body);
    }

    public Resp delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    /** Sends a raw body (for malformed JSON and wrong types). */
    public Resp sendRaw(String method, String path, String token, String rawBody) {
        return exchange(method, path, token, rawBody);
    }

    public Resp send(String method, String path, String token, Object body) {
        return exchange(method, path, token, body == null ? null : JSON.writeValueAsString(body));
    }

    private Resp exchange(String method, String path, String token, String body) {
        return exchange(method, path, token, body, Map.of());
    }

    private Resp exchange(String method, String path, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            String raw = response.body();
            if (raw != null && !raw.isBlank() && (raw.startsWith("{") || raw.startsWith("["))) {
                json = JSON.readTree(raw);
            }
            return new Resp(response.statusCode(), json, raw, response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
