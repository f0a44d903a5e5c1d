package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.parley.support.ApiTest;
import dev.parley.support.RawHttp;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Request bodies are capped (64 KiB by default) before login, authentication or JSON parsing, and JSON parsing
 * itself is bounded: an anonymous client cannot make the server hold a large body or parse a deep one.
 */
class RequestBodyLimitTest extends ApiTest {

    private static final long FORTY_MB = 40L * 1024 * 1024;
    private static final String LOGIN = "POST /api/v1/auth/login HTTP/1.1";

    @Test
    void aDeclaredLengthOverTheCapIsRefusedBeforeAnyOfTheBodyIsSent() {
        try (RawHttp http = RawHttp.connect(api)) {
            RawHttp.Response response = http.head(
                            LOGIN, "Host: localhost", "Content-Type: application/json", "Content-Length: " + FORTY_MB)
                    .read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.json().path("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(response.json().path("message").asString()).contains("65536");
            assertThat(response.json().path("details").path("max_bytes").asLong())
                    .isEqualTo(65536);
        }
    }

    @Test
    void fortyMegabytesToLoginAreRefusedWithoutTheServerHoldingThem() {
        assertRefusedWithinTheCapsMemory(true);
    }

    @Test
    void aChunkedBodyWithoutALengthIsRefusedOnceItPassesTheCap() {
        assertRefusedWithinTheCapsMemory(false);
    }

    @Test
    void aChunkedBodyIsRefusedWhileItIsStillArriving() {
        try (RawHttp http = RawHttp.connect(api)) {
            http.head(LOGIN, "Host: localhost", "Content-Type: application/json", "Transfer-Encoding: chunked");
            http.chunk("{\"username\":\"".getBytes(StandardCharsets.US_ASCII));
            byte[] filler = new byte[16 * 1024];
            Arrays.fill(filler, (byte) 'a');
            for (int i = 0; i < 8; i++) {
                http.chunk(filler);
            }
            // No last chunk: a server that waited for the whole body would never answer.
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.json().path("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        }
    }

    @Test
    void aBodyWithinTheCapIsReadAsBefore() {
        var body = Map.of("username", "nobody_here", "password", "wrong password", "pad", "x".repeat(60_000));
        api.post("/api/v1/auth/login", null, body).expectError(401, "UNAUTHORIZED");
    }

    @Test
    void anUploadToItsSignedUrlMayBeLargerThanTheCap() throws Exception {
        TestClient.User alice = api.register("upload");
        byte[] bytes = new byte[200_000];
        var ticket = api.post(
                        "/api/v1/messages/attachments/upload-url",
                        alice.token(),
                        Map.of("filename", "big.png", "content_type", "image/png", "file_size", bytes.length))
                .expect(200);
        HttpRequest put = HttpRequest.newBuilder(
                        URI.create(ticket.json().path("upload_url").asString()))
                .header("Content-Type", "image/png")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        assertThat(HttpClient.newHttpClient()
                        .send(put, HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void deeplyNestedJsonIsRefusedAsInvalid() {
        // Within the body cap, and an unknown field the binder would otherwise skip; over the nesting limit.
        String nested = "[".repeat(100) + "]".repeat(100);
        String body = "{\"username\":\"nobody_here\",\"password\":\"wrong password\",\"extra\":" + nested + "}";
        var response = api.sendRaw("POST", "/api/v1/auth/login", null, body).expectError(400, "VALIDATION_FAILED");
        assertThat(response.text("message")).contains("nesting depth");
    }

    @Test
    void aDeeplyNestedWebSocketFrameGetsAnErrorFrameAndTheSocketStaysOpen() {
        TestClient.User alice = api.register("nesting");
        try (WsClient socket = WsClient.connect(api, alice)) {
            socket.sendRaw("{\"type\":\"ping\",\"data\":{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}}");
            var error = socket.await("error");
            assertThat(error.path("code").asString()).isEqualTo("VALIDATION_FAILED");
            socket.send("ping", Map.of("still", "here"));
            assertThat(socket.await("pong").path("still").asString()).isEqualTo("here");
        }
    }

    /**
     * Streams a 40 MB login body (a JSON string the parser would have to hold whole) from one buffer, so the
     * client allocates next to nothing, and measures what the whole JVM allocated meanwhile: far below the body.
     * A first, small refusal loads and compiles the code paths, which would otherwise count.
     */
    private void assertRefusedWithinTheCapsMemory(boolean declareLength) {
        refuse(declareLength, 256 * 1024);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getTotalThreadAllocatedBytes();
        refuse(declareLength, FORTY_MB);
        long allocated = threads.getTotalThreadAllocatedBytes() - allocatedBefore;
        assertThat(allocated)
                .as("bytes allocated by the whole JVM while a 40 MB body was refused")
                .isLessThan(FORTY_MB / 4);
    }

    private void refuse(boolean declareLength, long size) {
        byte[] filler = new byte[64 * 1024];
        Arrays.fill(filler, (byte) 'a');
        byte[] prefix = "{\"username\":\"".getBytes(StandardCharsets.US_ASCII);
        try (RawHttp http = RawHttp.connect(api)) {
            http.head(
                    LOGIN,
                    "Host: localhost",
                    "Content-Type: application/json",
                    declareLength ? "Content-Length: " + size : "Transfer-Encoding: chunked");
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    for (long total = 0; total < size; total += filler.length) {
                        byte[] next = total == 0 ? prefix : filler;
                        if (declareLength) {
                            http.write(next);
                        } else {
                            http.chunk(next);
                        }
                    }
                } catch (UncheckedIOException closedByTheServer) {
                    // Expected: the server stops reading and closes once it has answered.
                }
            });
            RawHttp.Response response = http.read();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.json().path("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
            http.close();
            sent.orTimeout(30, TimeUnit.SECONDS).join();
        }
    }
}
