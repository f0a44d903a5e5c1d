package dev.parley.realtime.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.ApiTest;
import dev.parley.support.SseClient;
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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** {@code GET /events}: Server-Sent Events of the catch-up log, resumable with Last-Event-ID. */
class EventStreamApiTest extends ApiTest {

    @Autowired
    private MeterRegistry meters;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static List<String> messageIds(SseClient stream) {
        return stream.received.stream()
                .map(r -> r.event()
                        .path("data")
                        .path("message")
                        .path("message_id")
                        .asString())
                .toList();
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
        try (SseClient first = SseClient.open(api, b, null)) {
            assertThat(first.status).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> first.received.size() == 1);
            sent.add(chat.sendOk(a, direct, "while streaming 1").toString());
            sent.add(chat.sendOk(b, direct, "while streaming 2").toString());
            await().atMost(Duration.ofSeconds(10)).until(() -> first.received.size() == 3);
            assertThat(messageIds(first)).containsExactlyElementsOf(sent);
            for (SseClient.Received r : first.received) {
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
        try (SseClient resumed = SseClient.open(api, b, lastId)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> resumed.received.size() >= 2);
            sent.add(chat.sendOk(a, direct, "after resuming").toString());
            await().atMost(Duration.ofSeconds(10)).until(() -> resumed.received.size() >= 3);
            assertThat(messageIds(resumed)).containsExactlyElementsOf(sent.subList(3, 6));
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
