package dev.parley.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A moderation hook on loopback, as an operator would run one: it records each call (headers and body) and answers
 * as the test says: a decision, an error status, or no answer until it is released (a slow hook).
 */
public final class HookStandIn implements AutoCloseable {

    /** One call the hook received. */
    public record Call(Map<String, List<String>> headers, String raw, JsonNode body) {

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst()
                    .orElse(null);
        }
    }

    /** How to answer: a status and a body; status 0 means hang until {@link #release()}. */
    public record Answer(int status, String body) {

        public static Answer decision(String json) {
            return new Answer(200, json);
        }
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicReference<Function<JsonNode, Answer>> behaviour = new AtomicReference<>();
    private volatile CountDownLatch hanging = new CountDownLatch(1);

    public HookStandIn() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        allowAll();
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public void allowAll() {
        answer(body -> Answer.decision("{\"decision\":\"allow\"}"));
    }

    public void answer(Function<JsonNode, Answer> how) {
        behaviour.set(how);
    }

    /** Ends every hanging answer (they then answer allow, too late to matter). */
    public void release() {
        hanging.countDown();
        hanging = new CountDownLatch(1);
    }

    public List<Call> calls() {
        return calls;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            JsonNode body = TestClient.JSON.readTree(raw);
            calls.add(new Call(Map.copyOf(exchange.getRequestHeaders()), raw, body));
            Answer answer = behaviour.get().apply(body);
            if (answer.status() == 0) {
                try {
                    hanging.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer = Answer.decision("{\"decision\":\"allow\"}");
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
