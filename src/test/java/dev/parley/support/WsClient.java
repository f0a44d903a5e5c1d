package dev.parley.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/**
 * A device on the WebSocket gateway, through the JDK's client: it records every frame it receives. A paused
 * client requests nothing, so the JDK stops reading from the socket, as an app that stopped reading would.
 */
public final class WsClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;
    private final Listener listener;

    private WsClient(URI uri, String headerToken, boolean paused) {
        this(uri, headerToken, null, paused);
    }

    private WsClient(URI uri, String headerToken, String origin, boolean paused) {
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (headerToken != null) {
            builder.header("Authorization", "Bearer " + headerToken);
        }
        if (origin != null) {
            builder.header("Origin", origin);
        }
        this.listener = new Listener(paused);
        this.socket = builder.buildAsync(uri, listener).join();
    }

    /** Connects with the token in the {@code Authorization} header. */
    public static WsClient connect(TestClient api, TestClient.User user) {
        return new WsClient(uri(api, null), user.token(), false);
    }

    /** Connects with the token in the {@code access_token} query parameter. */
    public static WsClient connectWithQueryToken(TestClient api, String token) {
        return new WsClient(uri(api, token), null, false);
    }

    /** Connects but never reads until {@link #resume()}. */
    public static WsClient connectPaused(TestClient api, TestClient.User user) {
        return new WsClient(uri(api, null), user.token(), true);
    }

    /** The HTTP status that refused the handshake, or empty when it was accepted. */
    public static Optional<Integer> refusal(TestClient api, String headerToken, String queryToken) {
        return refusal(api, headerToken, queryToken, null);
    }

    /** The same, for a handshake that says which web page opened it. */
    public static Optional<Integer> refusal(TestClient api, String headerToken, String queryToken, String origin) {
        try {
            new WsClient(uri(api, queryToken), headerToken, origin, false).close();
            return Optional.empty();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return Optional.of(refused.getResponse().statusCode());
            }
            throw e;
        }
    }

    private static URI uri(TestClient api, String queryToken) {
        String base = api.base().replaceFirst("^http", "ws") + "/api/v1/ws";
        return URI.create(queryToken == null ? base : base + "?access_token=" + queryToken);
    }

    public void send(String type, Object data) {
        sendRaw(TestClient.JSON.writeValueAsString(Map.of("type", type, "data", data)));
    }

    public void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    /** Waits for the first received frame of this type that matches, and returns its {@code data}. */
    public JsonNode await(String type, Predicate<JsonNode> data) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> find(type, data), Optional::isPresent)
                .get();
    }

    public JsonNode await(String type) {
        return await(type, d -> true);
    }

    public Optional<JsonNode> find(String type, Predicate<JsonNode> data) {
        return frames.stream()
                .filter(f -> type.equals(f.path("type").asString()))
                .map(f -> f.path("data"))
                .filter(data)
                .findFirst();
    }

    /** The {@code data} of every frame of this type received so far. */
    public List<JsonNode> received(String type) {
        return frames.stream()
                .filter(f -> type.equals(f.path("type").asString()))
                .map(f -> f.path("data"))
                .toList();
    }

    /** Everything received so far, whole frames. */
    public List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    /** Starts reading again, one frame at a time as a normal client does. */
    public void resume() {
        listener.paused = false;
        socket.request(1);
    }

    /** The close code the server sent, once it arrived. */
    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    public boolean isOpen() {
        return !socket.isInputClosed() && !socket.isOutputClosed();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {

        private volatile boolean paused;
        private final StringBuilder partial = new StringBuilder();

        Listener(boolean paused) {
            this.paused = paused;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            if (!paused) {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(TestClient.JSON.readTree(partial.toString()));
                partial.setLength(0);
            }
            if (!paused) {
                webSocket.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
