package dev.parley.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * A local stand-in for AWS Rekognition speaking its JSON protocol ({@code X-Amz-Target:
 * RekognitionService.DetectModerationLabels}, {@code application/x-amz-json-1.1}): the AWS SDK reaches it through
 * an endpoint override. It answers with the labels the test sets, an error status, or holds the answer until
 * released.
 */
public final class RekognitionStandIn implements AutoCloseable {

    /** One call: its target header and JSON body (the image as base64 bytes). */
    public record Call(String target, JsonNode body) {}

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> answer = new AtomicReference<>(labels());
    private final AtomicReference<Integer> status = new AtomicReference<>(200);
    private volatile CountDownLatch gate = new CountDownLatch(0);

    public RekognitionStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The JSON answer of DetectModerationLabels with these labels (name, parent, confidence triples). */
    public static String labels(Object... nameParentConfidence) {
        StringBuilder out = new StringBuilder("{\"ModerationModelVersion\":\"7.0\",\"ModerationLabels\":[");
        for (int i = 0; i < nameParentConfidence.length; i += 3) {
            out.append(i == 0 ? "" : ",")
                    .append("{\"Name\":\"")
                    .append(nameParentConfidence[i])
                    .append("\",\"ParentName\":\"")
                    .append(nameParentConfidence[i + 1])
                    .append("\",\"Confidence\":")
                    .append(nameParentConfidence[i + 2])
                    .append(",\"TaxonomyLevel\":1}");
        }
        return out.append("]}").toString();
    }

    public void answer(String json) {
        status.set(200);
        answer.set(json);
    }

    /** Answers every call with this HTTP status and an AWS error body. */
    public void failWith(int code) {
        status.set(code);
    }

    /** Holds every answer until {@link #release()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    public void release() {
        gate.countDown();
    }

    public List<Call> calls() {
        return calls;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode body = TestClient.JSON.readTree(exchange.getRequestBody().readAllBytes());
            calls.add(new Call(target, body));
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            int code = status.get();
            boolean known = "RekognitionService.DetectModerationLabels".equals(target);
            String json = code == 200 && known
                    ? answer.get()
                    : "{\"__type\":\"InternalServerError\",\"message\":\"stand-in failure\"}";
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(known ? code : 400, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
