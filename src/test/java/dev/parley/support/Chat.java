package dev.parley.support;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Shorthands for the chat calls most tests need. */
public final class Chat {

    private final TestClient api;

    public Chat(TestClient api) {
        this.api = api;
    }

    public UUID direct(TestClient.User a, TestClient.User b) {
        TestClient.Resp resp = api.post("/api/v1/conversations", a.token(),
                Map.of("type", "direct", "participant_ids", List.of(b.id().toString())));
        return UUID.fromString(resp.json().path("conversation_id").asString());
    }

    public UUID group(TestClient.User owner, String name, TestClient.User... members) {
        List<String> ids = java.util.Arrays.stream(members).map(m -> m.id().toString()).toList();
        TestClient.Resp resp = api.post("/api/v1/conversations", owner.token(),
                Map.of("type", "group", "name", name, "participant_ids", ids)).expect(201);
        return UUID.fromString(resp.json().path("conversation_id").asString());
    }

    public TestClient.Resp send(TestClient.User from, UUID conversation, String text) {
        return api.post("/api/v1/conversations/" + conversation + "/messages", from.token(),
                Map.of("type", "text", "content", text));
    }

    public UUID sendOk(TestClient.User from, UUID conversation, String text) {
        return send(from, conversation, text).expect(201).id("message_id");
    }

    public long unread(TestClient.User user, UUID conversation) {
        return api.get("/api/v1/conversations/" + conversation, user.token()).expect(200).json()
                .path("unread_count").asLong();
    }
}
