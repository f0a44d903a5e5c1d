package dev.parley.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * A device that behaves as a client app should across a rolling restart: it keeps one WebSocket open through the
 * load balancer, sends a message every {@code interval} (alternating over its conversations, each with a
 * client_message_id of its own), and when its socket closes it reconnects (to whichever node the balancer picks),
 * catches up with {@code GET /sync} from its cursor, and sends again what was never acknowledged, under the same
 * client_message_id; while connected it reads {@code /sync} every 10 s to keep its cursor current (frames carry no
 * cursor). Everything it hears of (live {@code message.new}, its acks, catch-up) is kept by message id,
 * so duplicates fold; the checks compare that with the database. One thread of its own; bounded waits only.
 */
public final class RollingClient implements AutoCloseable {

    /** Where a message it heard of belongs. */
    public record Seen(UUID conversation, long seq) {}

    private record Pending(UUID conversation, long sentAt) {}

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final long RESEND_NANOS = Duration.ofSeconds(5).toNanos();
    private static final int RESENDS_PER_TICK = 2;
    private static final long CURSOR_REFRESH_NANOS = Duration.ofSeconds(10).toNanos();
    private static final Duration RECONNECT_BUDGET = Duration.ofSeconds(90);

    private final String wsUrl;
    private final String apiBase;
    private final TestClient.User user;
    private final List<UUID> conversations;
    private final long intervalNanos;

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Map<String, String> acked = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final List<Integer> closeCodes = new CopyOnWriteArrayList<>();
    private final List<Long> pauses = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Semaphore wake = new Semaphore(0);

    private volatile Listener current;
    private volatile long closedAt;
    private volatile boolean sending = true;
    private volatile boolean stopped;
    private volatile boolean started;
    private volatile Throwable failure;
    private String cursor;
    private long lastSync;
    private int sent;
    private Thread thread;

    public RollingClient(String wsUrl, String apiBase, TestClient.User user, List<UUID> conversations, Duration every) {
        this.wsUrl = wsUrl;
        this.apiBase = apiBase;
        this.user = user;
        this.conversations = List.copyOf(conversations);
        this.intervalNanos = every.toNanos();
    }

    public void start() {
        thread = Thread.ofPlatform().name("client-" + user.username()).start(this::run);
    }

    private void run() {
        try {
            connect();
            catchUp();
            started = true;
            long nextSend = System.nanoTime();
            while (!stopped) {
                if (current == null) {
                    reconnect();
                    continue;
                }
                long now = System.nanoTime();
                if (now - lastSync > CURSOR_REFRESH_NANOS) {
                    // Best effort: a failed refresh is tried again next time.
                    readSync(Duration.ofSeconds(5));
                    lastSync = now;
                }
                resendOverdue(now);
                if (sending && now - nextSend >= 0) {
                    String id = user.username() + "-" + sent;
                    UUID conversation = conversations.get(sent % conversations.size());
                    sent++;
                    pending.put(id, new Pending(conversation, now));
                    send(id, conversation);
                    nextSend = now + intervalNanos;
                }
                // Woken at once by a close; otherwise paced by the send interval.
                wake.tryAcquire(Math.max(1, Math.min(nextSend - now, 50_000_000)), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** Reconnects and catches up; what is still unacknowledged then goes again (not part of the pause). */
    private void reconnect() throws InterruptedException {
        connect();
        catchUp();
        long closed = closedAt;
        if (closed != 0) {
            pauses.add(System.nanoTime() - closed);
            closedAt = 0;
        }
        // Due at once: the loop sends them again, a few per turn.
        long due = System.nanoTime() - RESEND_NANOS - 1;
        pending.replaceAll((id, p) -> new Pending(p.conversation(), due));
    }

    /**
     * A send not acknowledged within a few seconds (refused, or its ack lost) goes again (same id: stored once), a
     * few at a time so that resends stay within the frame rate.
     */
    private void resendOverdue(long now) {
        int budget = RESENDS_PER_TICK;
        for (Map.Entry<String, Pending> entry : pending.entrySet()) {
            Pending p = entry.getValue();
            if (now - p.sentAt() > RESEND_NANOS && budget-- > 0) {
                pending.put(entry.getKey(), new Pending(p.conversation(), now));
                send(entry.getKey(), p.conversation());
            }
        }
    }

    private void send(String clientMessageId, UUID conversation) {
        Listener listener = current;
        if (listener == null) {
            return;
        }
        String frame = TestClient.JSON.writeValueAsString(
                Map.of("type", "message.send", "data", SendRun.textSend(conversation, clientMessageId)));
        try {
            listener.socket.sendText(frame, true).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // The socket is going away; the send stays pending and goes again after the reconnect.
        }
    }

    /** Opens a socket through the balancer, retrying (a node shutting down answers 503) within the budget. */
    private void connect() throws InterruptedException {
        long deadline = System.nanoTime() + RECONNECT_BUDGET.toNanos();
        String last = "no attempt";
        while (System.nanoTime() < deadline && !stopped) {
            Listener listener = new Listener();
            current = listener;
            try {
                listener.socket = HTTP.newWebSocketBuilder()
                        .connectTimeout(Duration.ofSeconds(3))
                        .header("Authorization", "Bearer " + user.token())
                        .buildAsync(URI.create(wsUrl), listener)
                        .get(5, TimeUnit.SECONDS);
                if (current == listener) {
                    return;
                }
                last = "closed at once";
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                current = null;
                last = e.toString();
            }
            wake.tryAcquire(100, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException(user.username() + " could not reconnect: " + last);
    }

    /** Reads {@code /sync} from the cursor to its end (retrying errors: a node may be going away). */
    private void catchUp() throws InterruptedException {
        if (!readSync(RECONNECT_BUDGET)) {
            throw new IllegalStateException(user.username() + " could not catch up within " + RECONNECT_BUDGET);
        }
        lastSync = System.nanoTime();
    }

    /**
     * Reads {@code /sync} from the cursor to its end within {@code budget}; false when it could not. Also done every
     * {@link #CURSOR_REFRESH_NANOS} while connected, as an app keeps its cursor current, so that a catch-up after a
     * reconnect reads what it missed rather than everything since the previous reconnect.
     */
    private boolean readSync(Duration budget) throws InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        while (System.nanoTime() < deadline) {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(apiBase + "/api/v1/sync?limit=100" + (cursor == null ? "" : "&since=" + cursor)))
                    .header("Authorization", "Bearer " + user.token())
                    .timeout(Duration.ofSeconds(10))
                    .build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    if (response.statusCode() < 500) {
                        throw new IllegalStateException("sync answered " + response.statusCode() + response.body());
                    }
                    wake.tryAcquire(100, TimeUnit.MILLISECONDS);
                    continue;
                }
                JsonNode body = TestClient.JSON.readTree(response.body());
                for (JsonNode event : body.path("events")) {
                    if ("message.new".equals(event.path("type").asString())) {
                        record(event.path("data").path("message"));
                    }
                }
                if (!body.path("next_cursor").isNull()) {
                    cursor = body.path("next_cursor").asString();
                }
                if (!body.path("has_more").asBoolean()) {
                    return true;
                }
            } catch (IOException e) {
                wake.tryAcquire(100, TimeUnit.MILLISECONDS);
            }
        }
        return false;
    }

    private void record(JsonNode message) {
        seen.put(
                message.path("message_id").asString(),
                new Seen(
                        UUID.fromString(message.path("conversation_id").asString()),
                        message.path("seq").asLong()));
    }

    private void frame(String text) {
        JsonNode frame = TestClient.JSON.readTree(text);
        JsonNode data = frame.path("data");
        switch (frame.path("type").asString()) {
            case "message.new" -> record(data.path("message"));
            case "message.ack" -> {
                String id = data.path("client_message_id").asString();
                String messageId = data.path("message").path("message_id").asString();
                String earlier = acked.putIfAbsent(id, messageId);
                if (earlier != null && !earlier.equals(messageId)) {
                    problems.add(id + " acknowledged as " + earlier + " and as " + messageId);
                }
                record(data.path("message"));
                pending.remove(id);
            }
            case "error" -> {
                // A node going away refuses what it did not start (SERVICE_UNAVAILABLE), and a burst of resends may
                // meet the frame limit (RATE_LIMIT_EXCEEDED): both stay pending and go again later.
                String code = data.path("code").asString();
                if (!"SERVICE_UNAVAILABLE".equals(code) && !"RATE_LIMIT_EXCEEDED".equals(code)) {
                    problems.add("error frame " + text);
                }
            }
            default -> {}
        }
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder parts = new StringBuilder();
        private volatile WebSocket socket;
        private boolean ended;

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                String text = parts.toString();
                parts.setLength(0);
                try {
                    frame(text);
                } catch (RuntimeException e) {
                    problems.add("unreadable frame " + text + ": " + e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended(1006);
        }

        private synchronized void ended(int code) {
            if (ended) {
                return;
            }
            ended = true;
            if (current == this) {
                closedAt = System.nanoTime();
                closeCodes.add(code);
                current = null;
                wake.release();
            }
        }
    }

    public boolean started() {
        return started;
    }

    public void stopSending() {
        sending = false;
    }

    public TestClient.User user() {
        return user;
    }

    public List<UUID> conversations() {
        return conversations;
    }

    /** Every message it heard of, by message id. */
    public Map<String, Seen> seen() {
        return seen;
    }

    /** client_message_id to message id, for what the server acknowledged. */
    public Map<String, String> acked() {
        return acked;
    }

    public int pending() {
        return pending.size();
    }

    public boolean connected() {
        return current != null;
    }

    public List<Integer> closeCodes() {
        return closeCodes;
    }

    /** Nanoseconds from each socket close to being reconnected and caught up. */
    public List<Long> pauses() {
        return pauses;
    }

    /** Unexpected frames or acks, and the client thread's failure if it ended with one. */
    public List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        if (failure != null) {
            all.add(user.username() + " failed: " + failure);
        }
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        wake.release();
        if (thread != null) {
            thread.join(10_000);
        }
        Listener listener = current;
        current = null;
        if (listener != null && listener.socket != null) {
            listener.socket.abort();
        }
    }
}
