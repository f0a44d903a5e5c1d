package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.ChatMetrics;
import dev.parley.support.ApiTest;
import dev.parley.support.QueryCounter;
import dev.parley.support.TestClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Health probes, Prometheus metrics and the OpenAPI document: all public, all on the running server. */
class OperationsApiTest extends ApiTest {

    @Autowired
    MeterRegistry registry;

    @Autowired
    ChatMetrics chatMetrics;

    @Test
    void livenessAndReadinessAnswerWithoutAToken() {
        var live = api.get("/health/live", null).expect(200);
        assertThat(live.text("status")).isEqualTo("UP");

        var ready = api.get("/health/ready", null).expect(200);
        assertThat(ready.text("status")).isEqualTo("UP");
        assertThat(ready.json().path("components").path("db").path("status").asString())
                .isEqualTo("UP");
        assertThat(ready.json()
                        .path("components")
                        .path("storage")
                        .path("status")
                        .asString())
                .isEqualTo("UP");
        // No Redis configured: readiness does not look for one.
        assertThat(ready.json().path("components").has("redis")).isFalse();
        // No replicas configured: none shown, and their group has nothing to say.
        assertThat(api.get("/health", null)
                        .expect(200)
                        .json()
                        .path("components")
                        .has("replicas"))
                .isFalse();
        assertThat(api.get("/health/replication", null).status()).isEqualTo(404);
    }

    @Test
    void infoShowsTheVersionCommitAndBuildTimeWithoutAToken() {
        var info = api.get("/info", null).expect(200).json();

        assertThat(info.path("build").path("version").asString()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(info.path("build").path("time").asString()).isNotBlank();
        assertThat(info.path("build").path("commit").asString()).matches("[0-9a-f]{12}(-dirty)?");
    }

    @Test
    void readinessListsEveryDependencyCheckAndTheirGauges() {
        var ready = api.get("/health/ready", null).expect(200).json();
        assertThat(ready.path("components").path("storage").path("status").asString())
                .isEqualTo("UP");

        String metrics = api.get("/metrics", null).expect(200).raw();
        assertThat(metrics)
                .containsPattern("dependency_up\\{[^}]*dependency=\"database\"[^}]*} 1")
                .containsPattern("dependency_up\\{[^}]*dependency=\"storage\"[^}]*} 1")
                .contains("# TYPE service_unavailable_total counter");
    }

    @Test
    void aBrowserOnAnotherOriginMayCallTheApiAndUploadWithoutCredentials() throws Exception {
        var http = HttpClient.newHttpClient();
        for (String path : List.of("/api/v1/conversations", "/storage/quarantine/x")) {
            var preflight = http.send(
                    HttpRequest.newBuilder(URI.create(api.base() + path))
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                            .header("Origin", "https://app.example.com")
                            .header("Access-Control-Request-Method", path.startsWith("/storage") ? "PUT" : "POST")
                            .header("Access-Control-Request-Headers", "authorization,content-type")
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(preflight.statusCode()).as(path).isEqualTo(200);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
                    .hasValue("https://app.example.com");
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials"))
                    .isEmpty();
        }
    }

    @Test
    void metricsListTheBriefsNamesInPrometheusFormat() {
        TestClient.User user = api.register("metrics");
        api.get("/api/v1/users/me", user.token()).expect(200);
        chatMetrics.messageSent("text");
        chatMetrics.recordSend(Duration.ofMillis(12));
        chatMetrics.messagesDelivered(2);
        chatMetrics.activeConnections(() -> 3);

        var metrics = api.get("/metrics", null).expect(200);
        String text = metrics.raw();
        assertThat(metrics.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(text)
                .contains("# TYPE messages_sent_total counter")
                .containsPattern("messages_sent_total\\{[^}]*type=\"text\"[^}]*} [1-9]")
                .contains("# TYPE messages_delivered_total counter")
                .contains("# TYPE message_send_duration_seconds histogram")
                .contains("message_send_duration_seconds_bucket{")
                .contains("# TYPE websocket_connections_active gauge")
                .containsPattern("websocket_connections_active\\{[^}]*} 3")
                .contains("# TYPE storage_upload_duration_seconds histogram")
                .contains("# TYPE database_query_duration_seconds histogram")
                .containsPattern("database_query_duration_seconds_bucket\\{[^}]*operation=\"select\"")
                .contains("# TYPE api_request_duration_seconds histogram")
                .containsPattern("api_request_duration_seconds_count\\{[^}]*method=\"GET\"[^}]*status=\"200\""
                        + "[^}]*uri=\"/api/v1/users/me\"");
    }

    @Test
    void queryCounterSeesTheStatementsOfARequest() {
        TestClient.User user = api.register("queries");
        QueryCounter queries = new QueryCounter(registry);

        // The counter sees every statement of the process, background work included (the search indexer, the
        // job scheduler), which can only add to a window: the fewest of a few windows is the request's own.
        long first = fewestDuring(
                queries, () -> api.get("/api/v1/users/me", user.token()).expect(200));
        long second = fewestDuring(
                queries, () -> api.get("/api/v1/users/me", user.token()).expect(200));

        assertThat(first).isPositive().isEqualTo(second);
    }

    private static long fewestDuring(QueryCounter queries, Runnable request) {
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            fewest = Math.min(fewest, queries.during(request));
        }
        return fewest;
    }

    @Test
    void openApiDocumentIsPublicAndDescribesAuthAndErrors() {
        var doc = api.get("/api/v1/openapi.json", null).expect(200).json();

        assertThat(doc.path("info").path("title").asString()).isEqualTo("Parley API");
        assertThat(doc.path("info").path("license").path("name").asString()).isEqualTo("Apache-2.0");
        assertThat(doc.path("components")
                        .path("securitySchemes")
                        .path("bearer-jwt")
                        .path("scheme")
                        .asString())
                .isEqualTo("bearer");
        assertThat(doc.path("security").toString()).contains("bearer-jwt");

        var register = doc.path("paths").path("/api/v1/auth/register").path("post");
        assertThat(register.isMissingNode()).as("register is documented").isFalse();
        assertThat(register.path("security").isArray()
                        && register.path("security").isEmpty())
                .as("register needs no token")
                .isTrue();

        // Rate-limited operations (their @ApiErrors name RATE_LIMIT_EXCEEDED) and the search's time limit say when
        // to come back.
        Map<String, List<String>> retryable = Map.of(
                "/api/v1/conversations/{conversationId}/messages post", List.of("429", "503"),
                "/api/v1/auth/login post", List.of("429"),
                "/api/v1/auth/register post", List.of("429"),
                "/api/v1/messages/attachments/upload-url post", List.of("429"),
                "/api/v1/conversations post", List.of("429"),
                "/api/v1/conversations/{id}/participants post", List.of("429"),
                "/api/v1/conversations/{conversationId}/typing post", List.of("429"),
                "/api/v1/messages/search get", List.of("429", "503"),
                "/api/v1/sync get", List.of("429"),
                "/api/v1/events get", List.of("429"));
        retryable.forEach((operation, statuses) -> {
            String[] pathAndMethod = operation.split(" ");
            var responses = doc.path("paths")
                    .path(pathAndMethod[0])
                    .path(pathAndMethod[1])
                    .path("responses");
            for (String status : statuses) {
                assertThat(responses.path(status).path("headers").has("Retry-After"))
                        .as("%s documents %s with Retry-After", operation, status)
                        .isTrue();
            }
        });

        var error = doc.path("components").path("schemas").path("ApiError");
        assertThat(error.path("required").toString()).contains("code", "message", "details");
        assertThat(error.path("properties").path("code").path("enum").toString())
                .contains("VALIDATION_FAILED");
        assertThat(doc.path("paths")
                        .path("/api/v1/users/me")
                        .path("get")
                        .path("responses")
                        .has("401"))
                .isTrue();

        // Schemas use the wire's snake_case names.
        assertThat(doc.path("components").path("schemas").toString())
                .contains("display_name")
                .doesNotContain("displayName");
    }

    @Test
    void swaggerUiAnswers() {
        var ui = api.get("/api/v1/docs", null);
        if (ui.status() == 302) {
            String location = ui.headers().firstValue("Location").orElseThrow();
            ui = api.get(location.replaceFirst("^https?://[^/]+", ""), null);
        }
        ui.expect(200);
        assertThat(ui.raw()).containsIgnoringCase("swagger");
    }
}
