package dev.parley.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.awaitility.core.ThrowingRunnable;
import tools.jackson.databind.JsonNode;

/** Shorthands for the chat calls most tests need. */
public final class Chat {

    private final TestClient api;

    public Chat(TestClient api) {
        this.api = api;
    }

    public UUID direct(TestClient.User a, TestClient.User b) {
        TestClient.Resp resp = api.post(
                "/api/v1/conversations",
                a.token(),
                Map.of("type", "direct", "participant_ids", List.of(b.id().toString())));
        return UUID.fromString(resp.json().path("conversation_id").asString());
    }

    public UUID group(TestClient.User owner, String name, TestClient.User... members) {
        List<String> ids = Arrays.stream(members).map(m -> m.id().toString()).toList();
        TestClient.Resp resp = api.post(
                        "/api/v1/conversations",
                        owner.token(),
                        Map.of("type", "group", "name", name, "participant_ids", ids))
                .expect(201);
        return UUID.fromString(resp.json().path("conversation_id").asString());
    }

    public TestClient.Resp send(TestClient.User from, UUID conversation, String text) {
        return api.post(
                "/api/v1/conversations/" + conversation + "/messages",
                from.token(),
                Map.of("type", "text", "content", text));
    }

    public UUID sendOk(TestClient.User from, UUID conversation, String text) {
        return send(from, conversation, text).expect(201).id("message_id");
    }

    public long unread(TestClient.User user, UUID conversation) {
        return api.get("/api/v1/conversations/" + conversation, user.token())
                .expect(200)
                .json()
                .path("unread_count")
                .asLong();
    }

    /** The conversation object as {@code user} sees it (200 expected). */
    public JsonNode conversation(TestClient.User user, UUID conversation) {
        return api.get("/api/v1/conversations/" + conversation, user.token())
                .expect(200)
                .json();
    }

    /** Up to 100 newest messages of a conversation, newest first. */
    public JsonNode history(TestClient.User user, UUID conversation) {
        return api.get("/api/v1/conversations/" + conversation + "/messages?limit=100", user.token())
                .expect(200)
                .json()
                .path("messages");
    }

    /** The system messages among the newest 100 whose {@code metadata.action} is {@code action}, newest first. */
    public List<JsonNode> systemMessages(TestClient.User user, UUID conversation, String action) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : history(user, conversation)) {
            if ("system".equals(m.path("type").asString())
                    && action.equals(m.path("metadata").path("action").asString())) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * Search results (the {@code messages} array, newest first) for {@code query}, in {@code conversation}, or
     * across the user's conversations when it is null.
     */
    public JsonNode search(TestClient.User user, UUID conversation, String query) {
        String where =
                conversation == null ? "/api/v1/messages" : "/api/v1/conversations/" + conversation + "/messages";
        String path = where + "/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
        return api.get(path, user.token()).expect(200).json().path("messages");
    }

    /**
     * Retries {@code assertion} until it holds (at most 15 s): search is indexed in the background and trails
     * sends, edits and deletes by about a second.
     */
    public static void eventually(ThrowingRunnable assertion) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(assertion);
    }

    public void block(TestClient.User blocker, TestClient.User blocked) {
        api.post("/api/v1/users/" + blocked.id() + "/block", blocker.token(), null)
                .expect(204);
    }

    /** The ids of the caller's conversations on one page of the list. */
    public List<String> listIds(TestClient.Resp page) {
        List<String> ids = new ArrayList<>();
        page.json()
                .path("conversations")
                .forEach(c -> ids.add(c.path("conversation_id").asString()));
        return ids;
    }

    /** Runs the calls at the same time, one thread each, and returns their responses in the calls' order. */
    public static List<TestClient.Resp> inParallel(List<Callable<TestClient.Resp>> calls)
            throws InterruptedException, ExecutionException {
        List<TestClient.Resp> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(calls.size())) {
            for (Future<TestClient.Resp> f : pool.invokeAll(calls)) {
                results.add(f.get());
            }
        }
        return results;
    }
}
