package dev.parley.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** One open {@code GET /api/v1/events} stream: the SSE events received so far, as (id or null, parsed data). */
public final class SseClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One SSE event: its {@code id:} (null when it had none) and its parsed {@code data:}. */
    public record Received(String id, JsonNode event) {}

    public final List<Received> received = new CopyOnWriteArrayList<>();
    public final int status;
    private final Stream<String> lines;
    private final Thread reader;

    private SseClient(TestClient api, TestClient.User user, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/events"))
                .header("Authorization", "Bearer " + user.token())
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        status = response.statusCode();
        lines = response.body();
        reader = Thread.ofVirtual().start(() -> {
            String id = null;
            StringBuilder data = new StringBuilder();
            try {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5));
                    } else if (line.isEmpty() && !data.isEmpty()) {
                        received.add(new Received(id, TestClient.JSON.readTree(data.toString())));
                        data.setLength(0);
                        id = null;
                    }
                }
            } catch (RuntimeException closed) {
                // The test closed the stream.
            }
        });
    }

    /** Opens the user's stream, after {@code lastEventId} when not null. */
    public static SseClient open(TestClient api, TestClient.User user, String lastEventId) throws Exception {
        return new SseClient(api, user, lastEventId);
    }

    /** The {@code data} of every event of this type received so far. */
    public List<JsonNode> received(String type) {
        return received.stream()
                .filter(r -> r.event().path("type").asString().equals(type))
                .map(r -> r.event().path("data"))
                .toList();
    }

    @Override
    public void close() throws Exception {
        lines.close();
        reader.join(Duration.ofSeconds(5));
    }
}
