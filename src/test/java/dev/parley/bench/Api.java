package dev.parley.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public API as the benchmarks use it: one JDK {@link HttpClient} on HTTP/1.1 with keep-alive, so each
 * concurrent client holds its own pooled connection, as a real device would.
 */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();

    record User(UUID id, String username, String token) {}

    final String base;
    private final HttpClient http;
    private final String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

    Api(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    String base() {
        return base;
    }

    /** GET without a token, the body as text (metrics, health). */
    String raw(String path) throws IOException, InterruptedException {
        return send(request(path, null).GET().build()).body();
    }

    /** A request whose body the caller does not need: only the status counts. */
    int status(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.BodyPublisher json(String body) {
        return HttpRequest.BodyPublishers.ofString(body);
    }

    JsonNode call(String method, String path, String token, Object body, int expected) {
        HttpRequest.Builder b = request(path, token);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, json(JSON.writeValueAsString(body)));
        }
        try {
            HttpResponse<String> r = send(b.build());
            if (r.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Registers one FCM device (a random token) for each user, 16 at a time. */
    void fcmDevices(List<User> users) throws Exception {
        parallel(
                users.size(),
                16,
                i -> call(
                        "POST",
                        "/api/v1/devices",
                        users.get(i).token(),
                        Map.of("platform", "fcm", "token", "bench-" + UUID.randomUUID()),
                        201));
    }

    User register(String prefix, int n) {
        String username = (prefix + "_" + runId + "_" + n).toLowerCase();
        JsonNode r = call(
                "POST",
                "/api/v1/auth/register",
                null,
                Map.of("username", username, "password", "bench password", "display_name", prefix + " " + n),
                201);
        return new User(
                UUID.fromString(r.path("user").path("user_id").asString()),
                username,
                r.path("access_token").asString());
    }

    UUID group(User owner, String name, List<User> others) {
        JsonNode r = call(
                "POST",
                "/api/v1/conversations",
                owner.token(),
                Map.of(
                        "type",
                        "group",
                        "name",
                        name,
                        "participant_ids",
                        others.stream().map(u -> u.id().toString()).toList()),
                201);
        return UUID.fromString(r.path("conversation_id").asString());
    }

    UUID direct(User me, User other) {
        JsonNode r = call(
                "POST",
                "/api/v1/conversations",
                me.token(),
                Map.of("type", "direct", "participant_ids", List.of(other.id().toString())),
                201);
        return UUID.fromString(r.path("conversation_id").asString());
    }

    JsonNode sendText(User sender, UUID conversationId, String content) {
        return call(
                "POST",
                "/api/v1/conversations/" + conversationId + "/messages",
                sender.token(),
                Map.of(
                        "type",
                        "text",
                        "content",
                        content,
                        "client_message_id",
                        UUID.randomUUID().toString()),
                201);
    }

    /** Runs {@code n} setup tasks with bounded concurrency and returns their results in order. */
    static <T> List<T> parallel(int n, int concurrency, IntFunction<T> task) throws Exception {
        Semaphore permits = new Semaphore(concurrency);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<T> call = () -> {
                    permits.acquire();
                    try {
                        return task.apply(index);
                    } finally {
                        permits.release();
                    }
                };
                futures.add(pool.submit(call));
            }
            List<T> out = new ArrayList<>(n);
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        }
    }
}
