package dev.parley.realtime.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A browser's EventSource cannot send headers: the event stream also takes the token as access_token. */
class EventStreamQueryTokenTest extends ApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theStreamAcceptsTheTokenInTheQueryAndRefusesABadOne() throws Exception {
        TestClient.User alice = api.register("sseq");
        TestClient.User bob = api.register("sseq");
        UUID conversation = chat.direct(alice, bob);
        UUID message = chat.sendOk(alice, conversation, "over an EventSource");

        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(api.base() + "/api/v1/events?access_token=" + bob.token()))
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<Stream<String>> response = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            String data = lines.filter(l -> l.startsWith("data:") && l.contains(message.toString()))
                    .findFirst()
                    .orElseThrow();
            assertThat(data).contains("message.new");
        }

        HttpRequest bad = HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/events?access_token=forged"))
                .header("Accept", "text/event-stream")
                .build();
        assertThat(HTTP.send(bad, HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(401);
        // Only the event stream takes it: elsewhere a query token is not a credential.
        assertThat(api.get("/api/v1/users/me?access_token=" + bob.token(), null).status())
                .isEqualTo(401);
    }
}
