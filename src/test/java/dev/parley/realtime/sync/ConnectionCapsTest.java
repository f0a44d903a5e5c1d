package dev.parley.realtime.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The per-user caps with their defaults: 10 sockets, 5 event streams, 5 waiting long polls per user and node; the
 * next is refused with 429 RATE_LIMIT_EXCEEDED and Retry-After, and a slot frees when one ends.
 */
class ConnectionCapsTest extends ApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    private SyncWaiters waiters;

    @Test
    void theEleventhSocketOfAUserIsRefusedBeforeTheUpgrade() throws Exception {
        TestClient.User alice = api.register("capws");
        List<WsClient> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                WsClient socket = WsClient.connect(api, alice);
                sockets.add(socket);
                // Answered: the socket is registered, so the next handshake counts it.
                socket.send("ping", Map.of("n", i));
                socket.await("pong");
            }
            String refused = rawHandshake(alice.token());
            assertThat(refused).startsWith("HTTP/1.1 429");
            assertThat(refused).containsIgnoringCase("Retry-After: 5");
            int headersEnd = refused.indexOf("\r\n\r\n");
            JsonNode body = TestClient.JSON.readTree(
                    refused.substring(refused.indexOf('{', headersEnd), refused.lastIndexOf('}') + 1));
            assertThat(body.path("code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
            assertThat(body.path("details").path("limit").asString()).isEqualTo("sockets");
            assertThat(body.path("details").path("retry_after").asLong()).isEqualTo(5);
            assertThat(sockets).allMatch(WsClient::isOpen);

            // Another user is not affected; and once one of alice's closes, she may open another.
            assertThat(WsClient.refusal(api, api.register("capws").token(), null))
                    .isEmpty();
            sockets.removeFirst().close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> WsClient.refusal(api, alice.token(), null).isEmpty());
        } finally {
            sockets.forEach(WsClient::close);
        }
    }

    @Test
    void theSixthEventStreamOfAUserIsRefused() throws Exception {
        TestClient.User alice = api.register("capsse");
        List<HttpResponse<InputStream>> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                HttpResponse<InputStream> stream = openStream(alice);
                assertThat(stream.statusCode()).isEqualTo(200);
                streams.add(stream);
            }
            HttpResponse<String> refused = HTTP.send(streamRequest(alice), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            JsonNode body = TestClient.JSON.readTree(refused.body());
            assertThat(body.path("code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
            assertThat(body.path("details").path("limit").asString()).isEqualTo("event_streams");
            // Another user is not affected. (A closed stream's slot coming back: RealtimeTimingTest.)
            HttpResponse<InputStream> other = openStream(api.register("capsse"));
            streams.add(other);
            assertThat(other.statusCode()).isEqualTo(200);
        } finally {
            for (HttpResponse<InputStream> stream : streams) {
                stream.body().close();
            }
        }
    }

    @Test
    void theSixthWaitingLongPollOfAUserIsRefused() throws Exception {
        TestClient.User alice = api.register("caplp");
        TestClient.User bob = api.register("caplp");
        UUID direct = chat.direct(alice, bob);
        String cursor = api.get("/api/v1/sync", alice.token()).expect(200).text("next_cursor");
        String poll = "/api/v1/sync?since=" + cursor + "&timeout=25";
        List<CompletableFuture<TestClient.Resp>> polls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            polls.add(CompletableFuture.supplyAsync(() -> api.get(poll, alice.token())));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting(alice.id()) == 5);

        TestClient.Resp refused = api.get(poll, alice.token()).expectError(429, "RATE_LIMIT_EXCEEDED");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(refused.json().path("details").path("limit").asString()).isEqualTo("long_polls");
        // A plain sync (no timeout) is no long poll, and is not capped.
        api.get("/api/v1/sync?since=" + cursor, alice.token()).expect(200);

        // A message answers all five; then polling works again.
        chat.sendOk(bob, direct, "wake up");
        for (CompletableFuture<TestClient.Resp> answered : polls) {
            assertThat(answered.get(15, TimeUnit.SECONDS)
                            .expect(200)
                            .json()
                            .path("events")
                            .size())
                    .isEqualTo(1);
        }
        api.get("/api/v1/sync?since=" + cursor + "&timeout=1", alice.token()).expect(200);
    }

    private HttpRequest streamRequest(TestClient.User user) {
        return HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/events"))
                .header("Authorization", "Bearer " + user.token())
                .header("Accept", "text/event-stream")
                .build();
    }

    private HttpResponse<InputStream> openStream(TestClient.User user) throws IOException, InterruptedException {
        return HTTP.send(streamRequest(user), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** A WebSocket handshake by hand, so the refusal's headers and body can be read; returns the whole answer. */
    private String rawHandshake(String token) throws IOException {
        URI base = URI.create(api.base());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "GET /api/v1/ws HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13"
                    + "\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer " + token
                    + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            StringBuilder answer = new StringBuilder();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            int n;
            // Until the body is whole (the server may keep the connection open): its last chunk, or its JSON's end.
            while ((n = in.read(buffer)) > 0) {
                answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                int body = answer.indexOf("\r\n\r\n");
                boolean chunked = answer.toString().toLowerCase().contains("transfer-encoding: chunked");
                if (body >= 0 && (chunked ? answer.toString().endsWith("0\r\n\r\n") : answer.lastIndexOf("}") > body)) {
                    break;
                }
            }
            return answer.toString();
        }
    }
}
