package dev.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.Chat;
import dev.parley.support.TestClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MessageApiTest extends ApiTest {

    private static String messages(UUID conversation) {
        return "/api/v1/conversations/" + conversation + "/messages";
    }

    private static String message(UUID id) {
        return "/api/v1/messages/" + id;
    }

    private static Map<String, Object> text(String content) {
        return Map.of("type", "text", "content", content);
    }

    @Test
    void sendingText() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conv = chat.direct(alice, bob);

        var first = chat.send(alice, conv, "first").expect(201);
        JsonNode m = first.json();
        assertThat(m.path("seq").asLong()).isEqualTo(1);
        assertThat(m.path("type").asString()).isEqualTo("text");
        assertThat(m.path("content").asString()).isEqualTo("first");
        assertThat(m.path("conversation_id").asString()).isEqualTo(conv.toString());
        assertThat(m.path("sender_id").asString()).isEqualTo(alice.id().toString());
        assertThat(m.path("sender").path("user_id").asString())
                .isEqualTo(alice.id().toString());
        assertThat(m.path("sender").path("username").asString()).isEqualTo(alice.username());
        assertThat(m.path("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(m.path("is_deleted").asBoolean()).isFalse();
        assertThat(m.path("is_edited").asBoolean()).isFalse();
        assertThat(m.path("reply_to").isNull()).isTrue();
        assertThat(m.path("attachments").isArray()).isTrue();
        assertThat(m.path("reactions").isArray()).isTrue();
        assertThat(UUID.fromString(m.path("message_id").asString()).version()).isEqualTo(7);
        assertThat(chat.send(bob, conv, "second").expect(201).json().path("seq").asLong())
                .isEqualTo(2);
        assertThat(chat.send(alice, conv, "third")
                        .expect(201)
                        .json()
                        .path("seq")
                        .asLong())
                .isEqualTo(3);
        assertThat(api.get(message(first.id("message_id")), bob.token())
                        .expect(200)
                        .json()
                        .path("content")
                        .asString())
                .isEqualTo("first");
    }

    @Test
    void invalidContent() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conv = chat.direct(alice, bob);
        String path = messages(conv);

        chat.send(alice, conv, "   \n\t").expectError(400, "VALIDATION_FAILED");
        chat.send(alice, conv, "").expectError(400, "VALIDATION_FAILED");
        api.post(path, alice.token(), Map.of("type", "text")).expectError(400, "VALIDATION_FAILED");
        api.post(path, alice.token(), Map.of("content", "no type")).expectError(400, "VALIDATION_FAILED");
        api.post(path, alice.token(), Map.of("type", "system", "content", "x")).expectError(400, "VALIDATION_FAILED");
        chat.send(alice, conv, "nul \u0000 inside").expectError(400, "VALIDATION_FAILED");
        api.post(path, null, text("hi")).expectError(401, "UNAUTHORIZED");
        api.sendRaw("POST", path, alice.token(), "{\"type\": \"text\", \"content\": ")
                .expectError(400, "VALIDATION_FAILED");

        String tooLong = "😀".repeat(4001);
        var long1 = chat.send(alice, conv, tooLong).expectError(422, "MESSAGE_TOO_LONG");
        assertThat(long1.json().path("details").path("field").asString()).isEqualTo("content");
        chat.send(alice, conv, "a".repeat(4001)).expectError(422, "MESSAGE_TOO_LONG");
        var exact = chat.send(alice, conv, "😀".repeat(4000)).expect(201);
        assertThat(exact.json().path("content").asString()).isEqualTo("😀".repeat(4000));
        chat.send(alice, conv, "a".repeat(4000)).expect(201);

        api.post(path, alice.token(), Map.of("type", "image", "content", "caption"))
                .expectError(400, "VALIDATION_FAILED");
        api.post(path, alice.token(), Map.of("type", "text", "content", "x", "client_message_id", "has space"))
                .expectError(400, "VALIDATION_FAILED");
        api.post(path, alice.token(), Map.of("type", "text", "content", "x", "reply_to", "nope"))
                .expectError(400, "VALIDATION_FAILED");
        // No broken send took a seq: the two good ones are 1 and 2.
        assertThat(chat.history(bob, conv).get(0).path("seq").asLong()).isEqualTo(2);
    }

    @Test
    void wrongJsonTypesNameTheField() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conv = chat.direct(alice, bob);
        Map<String, String> cases = Map.of(
                "{\"type\": \"text\", \"content\": {\"a\": 1}}", "content",
                "{\"type\": \"text\", \"content\": 123}", "content",
                "{\"type\": \"text\", \"content\": [\"x\"]}", "content",
                "{\"type\": 5, \"content\": \"x\"}", "type",
                "{\"type\": \"text\", \"content\": \"x\", \"reply_to\": 42}", "reply_to",
                "{\"type\": \"text\", \"content\": \"x\", \"client_message_id\": {}}", "client_message_id");
        cases.forEach((body, field) -> {
            var resp = api.sendRaw("POST", messages(conv), alice.token(), body).expectError(400, "VALIDATION_FAILED");
            assertThat(resp.json().path("details").path("field").asString())
                    .as(body)
                    .isEqualTo(field);
        });
        api.sendRaw("POST", messages(conv), alice.token(), "[1, 2]").expectError(400, "VALIDATION_FAILED");
        assertThat(chat.history(alice, conv).size()).isZero();
    }

    @Test
    void aRepeatedClientMessageIdReturnsTheOriginal() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conv = chat.direct(alice, bob);
        Map<String, Object> body = Map.of("type", "text", "content", "once", "client_message_id", "c-1");
        var first = api.post(messages(conv), alice.token(), body).expect(201);
        var retry = api.post(messages(conv), alice.token(), body).expect(200);
        assertThat(retry.json().path("message_id").asString())
                .isEqualTo(first.json().path("message_id").asString());
        assertThat(retry.json().path("seq").asLong())
                .isEqualTo(first.json().path("seq").asLong());
        var different = api.post(
                        messages(conv),
                        alice.token(),
                        Map.of("type", "text", "content", "something else", "client_message_id", "c-1"))
                .expect(200);
        assertThat(different.json().path("message_id").asString())
                .isEqualTo(first.json().path("message_id").asString());
        assertThat(different.json().path("content").asString()).isEqualTo("once");
        // The same key from another sender is another message.
        var bobs = api.post(messages(conv), bob.token(), body).expect(201);
        assertThat(bobs.json().path("seq").asLong()).isEqualTo(2);
        assertThat(chat.history(alice, conv).size()).isEqualTo(2);
        assertThat(chat.unread(bob, conv)).isEqualTo(1);
    }

    @Test
    void repliesStayInsideTheirConversation() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        TestClient.User carol = api.register("carol");
        UUID conv = chat.direct(alice, bob);
        UUID elsewhere = chat.direct(alice, carol);
        UUID foreign = chat.sendOk(alice, elsewhere, "other conversation");
        UUID original = chat.sendOk(bob, conv, "question?");
        api.post(messages(conv), alice.token(), Map.of("type", "text", "content", "x", "reply_to", foreign.toString()))
                .expectError(400, "VALIDATION_FAILED");
        api.post(
                        messages(conv),
                        alice.token(),
                        Map.of(
                                "type",
                                "text",
                                "content",
                                "x",
                                "reply_to",
                                UUID.randomUUID().toString()))
                .expectError(400, "VALIDATION_FAILED");
        var reply = api.post(
                        messages(conv),
                        alice.token(),
                        Map.of("type", "text", "content", "answer", "reply_to", original.toString()))
                .expect(201);
        JsonNode replyTo = reply.json().path("reply_to");
        assertThat(replyTo.path("message_id").asString()).isEqualTo(original.toString());
        assertThat(replyTo.path("sender_id").asString()).isEqualTo(bob.id().toString());
        assertThat(replyTo.path("content").asString()).isEqualTo("question?");
        assertThat(api.get(message(reply.id("message_id")), bob.token())
                        .expect(200)
                        .json()
                        .path("reply_to")
                        .path("message_id")
                        .asString())
                .isEqualTo(original.toString());
    }

    @Test
    void blockedUsersCannotMessageEachOther() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        TestClient.User carol = api.register("carol");
        UUID conv = chat.direct(alice, bob);
        UUID group = chat.group(alice, "g", bob, carol);
        chat.sendOk(alice, conv, "before");
        chat.block(bob, alice);
        chat.send(alice, conv, "after").expectError(403, "USER_BLOCKED");
        chat.send(bob, conv, "after").expectError(403, "USER_BLOCKED");
        chat.sendOk(alice, group, "groups are not direct chats");
        api.delete("/api/v1/users/" + alice.id() + "/block", bob.token()).expect(204);
        chat.sendOk(alice, conv, "unblocked");
    }

    /** The seqs seen following has_more page by page, how many pages that took, and the last message's id. */
    private record Walk(List<Long> seqs, int pages, String lastId) {}

    /** Pages through history with {@code cursor} (before_id or after_id), starting from {@code from} or the newest. */
    private Walk walk(TestClient.User viewer, UUID conversation, int limit, String cursor, String from) {
        List<Long> seqs = new ArrayList<>();
        String at = from;
        int pages = 0;
        while (true) {
            JsonNode page = api.get(
                            messages(conversation) + "?limit=" + limit + (at == null ? "" : "&" + cursor + "=" + at),
                            viewer.token())
                    .expect(200)
                    .json();
            JsonNode ms = page.path("messages");
            ms.forEach(m -> seqs.add(m.path("seq").asLong()));
            pages++;
            if (!ms.isEmpty()) {
                at = ms.get(ms.size() - 1).path("message_id").asString();
            }
            if (!page.path("has_more").asBoolean() || pages > 50) {
                return new Walk(seqs, pages, at);
            }
        }
    }

    @Test
    void historyPagesBothWaysWithoutGapsOrDuplicates() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        TestClient.User carol = api.register("carol");
        UUID group = chat.group(alice, "busy", bob, carol);
        TestClient.User[] senders = {alice, bob, carol};
        for (int i = 0; i < 130; i++) {
            chat.sendOk(senders[i % 3], group, "message " + i);
        }
        // 131 messages: the group_created system message is seq 1.
        Walk backwards = walk(bob, group, 50, "before_id", null);
        assertThat(backwards.pages()).isEqualTo(3);
        assertThat(backwards.seqs()).hasSize(131);
        for (int i = 0; i < 131; i++) {
            assertThat(backwards.seqs().get(i)).isEqualTo(131L - i);
        }
        String seqOne = backwards.lastId();
        var beforeFirst = api.get(messages(group) + "?before_id=" + seqOne, bob.token())
                .expect(200)
                .json();
        assertThat(beforeFirst.path("messages").size()).isZero();
        assertThat(beforeFirst.path("has_more").asBoolean()).isFalse();

        // Forwards from the system message at seq 1.
        Walk forwards = walk(bob, group, 40, "after_id", seqOne);
        assertThat(forwards.pages()).isEqualTo(4);
        assertThat(forwards.seqs()).hasSize(130);
        for (int i = 0; i < 130; i++) {
            assertThat(forwards.seqs().get(i)).isEqualTo(i + 2L);
        }
        var newest = api.get(
                        messages(group) + "?after_id="
                                + chat.history(bob, group)
                                        .get(0)
                                        .path("message_id")
                                        .asString(),
                        bob.token())
                .expect(200)
                .json();
        assertThat(newest.path("messages").size()).isZero();
        assertThat(newest.path("has_more").asBoolean()).isFalse();

        assertThat(api.get(messages(group), bob.token())
                        .expect(200)
                        .json()
                        .path("messages")
                        .size())
                .isEqualTo(50);
        api.get(messages(group) + "?limit=0", bob.token()).expectError(400, "VALIDATION_FAILED");
        api.get(messages(group) + "?limit=101", bob.token()).expectError(400, "VALIDATION_FAILED");
        api.get(messages(group) + "?limit=-1", bob.token()).expectError(400, "VALIDATION_FAILED");
        assertThat(api.get(messages(group) + "?limit=100", bob.token())
                        .expect(200)
                        .json()
                        .path("messages")
                        .size())
                .isEqualTo(100);
        api.get(messages(group) + "?before_id=" + seqOne + "&after_id=" + seqOne, bob.token())
                .expectError(400, "VALIDATION_FAILED");
        api.get(messages(group) + "?before_id=xyz", bob.token()).expectError(400, "VALIDATION_FAILED");

        UUID elsewhere = chat.direct(alice, bob);
        UUID foreign = chat.sendOk(alice, elsewhere, "not in the group");
        api.get(messages(group) + "?before_id=" + foreign, bob.token()).expectError(404, "MESSAGE_NOT_FOUND");
        api.get(messages(group) + "?after_id=" + foreign, bob.token()).expectError(404, "MESSAGE_NOT_FOUND");
        api.get(messages(group) + "?after_id=" + UUID.randomUUID(), bob.token()).expectError(404, "MESSAGE_NOT_FOUND");
    }

    @Test
    void editingIsForTheSenderAndTextOnly() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        TestClient.User eve = api.register("eve");
        UUID group = chat.group(alice, "g", bob);
        UUID mine = chat.sendOk(alice, group, "draft");
        UUID system = UUID.fromString(
                chat.history(alice, group).get(1).path("message_id").asString());

        api.patch(message(mine), bob.token(), Map.of("content", "hijack")).expectError(403, "FORBIDDEN");
        api.patch(message(system), alice.token(), Map.of("content", "rewrite")).expectError(403, "FORBIDDEN");
        api.patch(message(mine), eve.token(), Map.of("content", "x")).expectError(404, "MESSAGE_NOT_FOUND");
        api.patch(message(UUID.randomUUID()), alice.token(), Map.of("content", "x"))
                .expectError(404, "MESSAGE_NOT_FOUND");
        api.patch(message(mine), alice.token(), Map.of("content", " ")).expectError(400, "VALIDATION_FAILED");
        api.patch(message(mine), alice.token(), Map.of()).expectError(400, "VALIDATION_FAILED");
        api.patch(message(mine), alice.token(), Map.of("content", "x\u0000")).expectError(400, "VALIDATION_FAILED");
        api.patch(message(mine), alice.token(), Map.of("content", "b".repeat(4001)))
                .expectError(422, "MESSAGE_TOO_LONG");

        var edited = api.patch(message(mine), alice.token(), Map.of("content", "final"))
                .expect(200)
                .json();
        assertThat(edited.path("content").asString()).isEqualTo("final");
        assertThat(edited.path("is_edited").asBoolean()).isTrue();
        assertThat(edited.path("edited_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(edited.path("seq").asLong()).isEqualTo(2);
        assertThat(api.get(message(mine), bob.token())
                        .expect(200)
                        .json()
                        .path("content")
                        .asString())
                .isEqualTo("final");

        api.delete(message(mine), alice.token()).expect(204);
        api.patch(message(mine), alice.token(), Map.of("content", "resurrect")).expectError(409, "CONFLICT");
    }

    @Test
    void deletingLeavesATombstone() {
        TestClient.User owner = api.register("owner");
        TestClient.User admin = api.register("admin");
        TestClient.User bob = api.register("bob");
        TestClient.User carol = api.register("carol");
        UUID group = chat.group(owner, "g", admin, bob, carol);
        api.patch(
                        "/api/v1/conversations/" + group + "/participants/" + admin.id(),
                        owner.token(),
                        Map.of("role", "admin"))
                .expect(200);
        JsonNode bobSent = chat.send(bob, group, "bob speaks").expect(201).json();
        UUID bobs = UUID.fromString(bobSent.path("message_id").asString());
        long bobSeq = bobSent.path("seq").asLong();
        UUID carols = chat.sendOk(carol, group, "carol speaks");
        UUID owners = chat.sendOk(owner, group, "owner speaks");
        api.post(message(bobs) + "/reactions", carol.token(), Map.of("emoji", "👍"))
                .expect(201);

        api.delete(message(bobs), carol.token()).expectError(403, "FORBIDDEN");
        api.delete(message(bobs), api.register("eve").token()).expectError(404, "MESSAGE_NOT_FOUND");
        api.delete(message(bobs), admin.token()).expect(204);
        api.delete(message(carols), carol.token()).expect(204);
        api.delete(message(owners), admin.token()).expect(204);
        api.delete(message(owners), admin.token()).expect(204);

        JsonNode tomb = api.get(message(bobs), carol.token()).expect(200).json();
        assertThat(tomb.path("is_deleted").asBoolean()).isTrue();
        assertThat(tomb.path("content").isNull()).isTrue();
        assertThat(tomb.path("reactions").size()).isZero();
        assertThat(tomb.path("attachments").size()).isZero();
        assertThat(tomb.path("seq").asLong()).isEqualTo(bobSeq);

        JsonNode history = chat.history(bob, group);
        Map<Long, JsonNode> bySeq = new HashMap<>();
        history.forEach(m -> bySeq.put(m.path("seq").asLong(), m));
        assertThat(bySeq.keySet()).contains(bobSeq, bobSeq + 1, bobSeq + 2);
        for (long seq = bobSeq; seq <= bobSeq + 2; seq++) {
            assertThat(bySeq.get(seq).path("is_deleted").asBoolean()).isTrue();
            assertThat(bySeq.get(seq).path("content").isNull()).isTrue();
            assertThat(bySeq.get(seq).path("reactions").size()).isZero();
        }

        // In a direct conversation nobody moderates: only the sender deletes.
        UUID direct = chat.direct(bob, carol);
        UUID inDirect = chat.sendOk(bob, direct, "mine");
        api.delete(message(inDirect), carol.token()).expectError(403, "FORBIDDEN");
        api.delete(message(inDirect), bob.token()).expect(204);
    }

    @Test
    void searchFindsOnlyLiveMessagesOfTheCallersConversations() {
        String word = "zebra" + Long.toString(System.nanoTime(), 36).replaceAll("[0-9]", "");
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        TestClient.User carol = api.register("carol");
        UUID ab = chat.direct(alice, bob);
        UUID ac = chat.direct(alice, carol);
        UUID bc = chat.direct(bob, carol);
        chat.sendOk(alice, ab, "the " + word + " crossed");
        UUID gone = chat.sendOk(bob, ab, "another " + word + " here");
        chat.sendOk(carol, ac, word + " again");
        chat.sendOk(carol, bc, "bob and carol's " + word);
        api.delete(message(gone), bob.token()).expect(204);

        // Search trails sends by about a second (indexed in the background), hence the waits.
        Chat.eventually(() -> {
            JsonNode inAb = api.get(messages(ab) + "/search?q=" + word, alice.token())
                    .expect(200)
                    .json()
                    .path("messages");
            assertThat(inAb.size()).isEqualTo(1);
            assertThat(inAb.get(0).path("content").asString()).isEqualTo("the " + word + " crossed");
        });

        Chat.eventually(() -> {
            JsonNode everywhere = api.get("/api/v1/messages/search?q=" + word, alice.token())
                    .expect(200)
                    .json()
                    .path("messages");
            assertThat(everywhere.size()).isEqualTo(2);
            everywhere.forEach(
                    m -> assertThat(m.path("conversation_id").asString()).isIn(ab.toString(), ac.toString()));
        });
        Chat.eventually(() -> assertThat(api.get("/api/v1/messages/search?q=" + word, bob.token())
                        .expect(200)
                        .json()
                        .path("messages")
                        .size())
                .isEqualTo(2));

        api.get("/api/v1/messages/search?q=%20%20", alice.token()).expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/messages/search", alice.token()).expectError(400, "VALIDATION_FAILED");
        api.get(messages(ab) + "/search?q=", alice.token()).expectError(400, "VALIDATION_FAILED");
        api.get(messages(bc) + "/search?q=" + word, alice.token()).expectError(404, "CONVERSATION_NOT_FOUND");
        api.get("/api/v1/messages/search?q=" + word, null).expectError(401, "UNAUTHORIZED");

        // A member who left no longer finds the group's messages.
        UUID group = chat.group(alice, "g", bob);
        chat.sendOk(alice, group, "group " + word);
        Chat.eventually(() -> assertThat(api.get("/api/v1/messages/search?q=" + word, bob.token())
                        .expect(200)
                        .json()
                        .path("messages")
                        .size())
                .isEqualTo(3));
        api.delete("/api/v1/conversations/" + group, bob.token()).expect(204);
        assertThat(api.get("/api/v1/messages/search?q=" + word, bob.token())
                        .expect(200)
                        .json()
                        .path("messages")
                        .size())
                .isEqualTo(2);
    }

    @Test
    void concurrentSendsGetConsecutiveSeqsAndRetriesStoreOnce() throws Exception {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        TestClient.User carol = api.register("carol");
        UUID group = chat.group(alice, "race", bob, carol);
        TestClient.User[] senders = {alice, bob, carol};
        List<Callable<TestClient.Resp>> sends = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            TestClient.User from = senders[i % 3];
            String content = "parallel " + i;
            sends.add(() -> chat.send(from, group, content));
        }
        for (int i = 0; i < 8; i++) {
            sends.add(() -> api.post(
                    messages(group),
                    bob.token(),
                    Map.of("type", "text", "content", "retried", "client_message_id", "same-key")));
        }
        List<TestClient.Resp> results = Chat.inParallel(sends);
        List<TestClient.Resp> retries = results.subList(24, 32);
        assertThat(retries.stream().filter(r -> r.status() == 201).count()).isEqualTo(1);
        assertThat(retries.stream().filter(r -> r.status() == 200).count()).isEqualTo(7);
        assertThat(retries.stream().map(r -> r.text("message_id")).distinct().count())
                .isEqualTo(1);
        results.subList(0, 24).forEach(r -> r.expect(201));

        // 1 system message + 24 + 1 retried message: seqs 1..26, each once.
        List<Long> seqs = new ArrayList<>();
        chat.history(carol, group).forEach(m -> seqs.add(m.path("seq").asLong()));
        assertThat(seqs).hasSize(26);
        for (int i = 0; i < 26; i++) {
            assertThat(seqs.get(i)).isEqualTo(26L - i);
        }
        assertThat(chat.unread(carol, group)).isEqualTo(17);
    }

    @Test
    void searchPagesAcrossConversationsWithoutDuplicatesOrGaps() throws Exception {
        String word = "quokka" + Long.toString(System.nanoTime(), 36).replaceAll("[0-9]", "");
        TestClient.User alice = api.register("alice");
        List<UUID> conversations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            conversations.add(chat.direct(alice, api.register("peer")));
        }
        // Sent in parallel so that equal timestamps across conversations are likely.
        List<Callable<TestClient.Resp>> sends = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            UUID conv = conversations.get(i % 3);
            String content = word + " number " + i;
            sends.add(() -> chat.send(alice, conv, content));
        }
        List<String> sent = Chat.inParallel(sends).stream()
                .map(r -> r.expect(201).text("message_id"))
                .toList();
        // Search trails sends by about a second: wait until all nine are indexed, then page through them.
        Chat.eventually(() -> assertThat(chat.search(alice, null, word)).hasSize(9));
        List<String> found = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.get(
                            "/api/v1/messages/search?limit=2&q=" + word + (cursor == null ? "" : "&cursor=" + cursor),
                            alice.token())
                    .expect(200)
                    .json();
            page.path("messages").forEach(m -> found.add(m.path("message_id").asString()));
            cursor =
                    page.path("has_more").asBoolean() ? page.path("next_cursor").asString() : null;
            pages++;
        } while (cursor != null && pages < 20);
        assertThat(pages).isEqualTo(5);
        assertThat(found).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sent);

        api.get("/api/v1/messages/search?q=" + word + "&cursor=garbage", alice.token())
                .expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/messages/search?q=" + word + "&limit=0", alice.token()).expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/messages/search?q=" + word + "&limit=101", alice.token())
                .expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/messages/search?q=a%00b", alice.token()).expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/messages/search?q=" + "x".repeat(201), alice.token()).expectError(400, "VALIDATION_FAILED");
    }
}
