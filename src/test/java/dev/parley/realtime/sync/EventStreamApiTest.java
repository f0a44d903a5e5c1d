package dev.parley.realtime.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code GET /events}: Server-Sent Events of the catch-up log, resumable with Last-Event-ID. */
class EventStreamApiTest extends ApiTest {

    @Autowired
    private MeterRegistry meters;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One open stream: the events received so far, as (id, parsed data). */
    private record Received(String id, JsonNode event) {}

    private final class Listener implements AutoCloseable {

        final List<Received> received = new CopyOnWriteArrayList<>();
        final int status;
        private final Stream<String> lines;
        private final Thread reader;

        Listener(TestClient.User user, String lastEventId) throws Exception {
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

        List<String> messageIds() {
            return received.stream()
                    .map(r -> r.event()
                            .path("data")
                            .path("message")
                            .path("message_id")
                            .asString())
                    .toList();
        }

        @Override
        public void close() throws Exception {
            lines.close();
            reader.join(Duration.ofSeconds(5));
        }
    }

    @Test
    void streamsEventsAndResumesAfterLastEventIdWithoutGapsOrRepeats() throws Exception {
        TestClient.User a = api.register("ssea");
        TestClient.User b = api.register("sseb");
        UUID direct = chat.direct(a, b);
        List<String> sent = new ArrayList<>();
        sent.add(chat.sendOk(a, direct, "before the stream").toString());

        double streamedBefore = meters.get("sync.events.served")
                .tag("transport", "sse")
                .counter()
                .count();
        String lastId;
        try (Listener first = new Listener(b, null)) {
            assertThat(first.status).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> first.received.size() == 1);
            sent.add(chat.sendOk(a, direct, "while streaming 1").toString());
            sent.add(chat.sendOk(b, direct, "while streaming 2").toString());
            await().atMost(Duration.ofSeconds(10)).until(() -> first.received.size() == 3);
            assertThat(first.messageIds()).containsExactlyElementsOf(sent);
            for (Received r : first.received) {
                assertThat(r.id()).isEqualTo(r.event().path("event_id").asString());
            }
            lastId = first.received.getLast().id();
        }
        assertThat(meters.get("sync.events.served")
                                .tag("transport", "sse")
                                .counter()
                                .count()
                        - streamedBefore)
                .isGreaterThanOrEqualTo(3);

        // Missed while disconnected.
        sent.add(chat.sendOk(a, direct, "while away 1").toString());
        sent.add(chat.sendOk(a, direct, "while away 2").toString());
        try (Listener resumed = new Listener(b, lastId)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> resumed.received.size() >= 2);
            sent.add(chat.sendOk(a, direct, "after resuming").toString());
            await().atMost(Duration.ofSeconds(10)).until(() -> resumed.received.size() >= 3);
            assertThat(resumed.messageIds()).containsExactlyElementsOf(sent.subList(3, 6));
        }
    }

    @Test
    void aBadLastEventIdIsRefusedBeforeTheStreamStarts() throws Exception {
        TestClient.User a = api.register("ssebad");
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/events"))
                .header("Authorization", "Bearer " + a.token())
                .header("Accept", "text/event-stream")
                .header("Last-Event-ID", "not-a-cursor")
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("VALIDATION_FAILED");
    }
}
