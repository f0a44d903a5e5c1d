package dev.parley.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ReceiptApiTest extends ApiTest {

    private TestClient.Resp read(TestClient.User user, UUID message) {
        return api.put("/api/v1/messages/" + message + "/read", user.token(), null);
    }

    private Map<String, JsonNode> receipts(TestClient.User viewer, UUID message) {
        Map<String, JsonNode> byUser = new HashMap<>();
        api.get("/api/v1/messages/" + message + "/receipts", viewer.token())
                .expect(200)
                .json()
                .forEach(r -> byUser.put(r.path("user_id").asString(), r));
        return byUser;
    }

    private long listedUnread(TestClient.User user, UUID conversation) {
        for (JsonNode row : api.get("/api/v1/conversations?limit=100", user.token())
                .expect(200)
                .json()
                .path("conversations")) {
            if (row.path("conversation_id").asString().equals(conversation.toString())) {
                return row.path("unread_count").asLong();
            }
        }
        throw new AssertionError("conversation not listed");
    }

    @Test
    void unreadIsExactAfterAnyMixOfSendsReadsAndDeletes() {
        TestClient.User owner = api.register("owner");
        List<TestClient.User> people =
                new ArrayList<>(List.of(owner, api.register("a"), api.register("b"), api.register("c")));
        UUID group = chat.group(owner, "counting", people.subList(1, 4).toArray(TestClient.User[]::new));
        Random random = new Random(42);
        // Per message: its sender; per user: the seq-ordered list of sent message ids and their read position.
        List<UUID> ids = new ArrayList<>();
        List<TestClient.User> senders = new ArrayList<>();
        List<Boolean> deleted = new ArrayList<>();
        Map<TestClient.User, Integer> readUpTo = new HashMap<>();
        people.forEach(p -> readUpTo.put(p, -1));
        for (int step = 0; step < 60; step++) {
            TestClient.User actor = people.get(random.nextInt(people.size()));
            int action = random.nextInt(10);
            if (action < 6 || ids.isEmpty()) {
                ids.add(chat.sendOk(actor, group, "step " + step));
                senders.add(actor);
                deleted.add(false);
            } else if (action < 8) {
                int target = random.nextInt(ids.size());
                read(actor, ids.get(target)).expect(200);
                readUpTo.put(actor, Math.max(readUpTo.get(actor), target));
            } else if (action == 8) {
                int target = random.nextInt(ids.size());
                if (senders.get(target).equals(actor) || actor.equals(owner)) {
                    api.delete("/api/v1/messages/" + ids.get(target), actor.token())
                            .expect(204);
                    deleted.set(target, true);
                }
            } else {
                // A system message (rename) counts for nobody.
                api.patch("/api/v1/conversations/" + group, owner.token(), Map.of("name", "counting " + step))
                        .expect(200);
            }
            for (TestClient.User p : people) {
                long expected = 0;
                for (int i = readUpTo.get(p) + 1; i < ids.size(); i++) {
                    if (!deleted.get(i) && !senders.get(i).equals(p)) {
                        expected++;
                    }
                }
                assertThat(chat.unread(p, group))
                        .as("unread of %s after step %d", p.username(), step)
                        .isEqualTo(expected);
                if (step % 15 == 14) {
                    assertThat(listedUnread(p, group)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void readsOnlyMoveForward() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conv = chat.direct(alice, bob);
        List<UUID> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(chat.sendOk(alice, conv, "m" + i));
        }
        var state = read(bob, sent.get(3)).expect(200).json();
        assertThat(state.path("unread_count").asLong()).isEqualTo(1);
        assertThat(state.path("last_read_seq").asLong()).isEqualTo(4);
        assertThat(read(bob, sent.get(0))
                        .expect(200)
                        .json()
                        .path("unread_count")
                        .asLong())
                .isEqualTo(1);
        assertThat(chat.unread(bob, conv)).isEqualTo(1);
        read(bob, sent.get(4)).expect(200);
        assertThat(chat.unread(bob, conv)).isZero();
        // Own messages never count, reading them or not.
        assertThat(chat.unread(alice, conv)).isZero();
        read(alice, sent.get(4)).expect(200);
        assertThat(chat.unread(alice, conv)).isZero();

        UUID fromBob = chat.sendOk(bob, conv, "reply");
        UUID fromBob2 = chat.sendOk(bob, conv, "reply 2");
        assertThat(chat.unread(alice, conv)).isEqualTo(2);
        api.delete("/api/v1/messages/" + fromBob2, bob.token()).expect(204);
        assertThat(chat.unread(alice, conv)).isEqualTo(1);
        assertThat(listedUnread(alice, conv)).isEqualTo(1);
        read(alice, fromBob).expect(200);
        assertThat(chat.unread(alice, conv)).isZero();
        assertThat(listedUnread(alice, conv)).isZero();
    }

    @Test
    void receiptsShowSentDeliveredAndRead() {
        TestClient.User owner = api.register("owner");
        TestClient.User reader = api.register("reader");
        TestClient.User device = api.register("device");
        TestClient.User offline = api.register("offline");
        UUID group = chat.group(owner, "receipts", reader, device, offline);
        UUID first = chat.sendOk(owner, group, "first");
        UUID second = chat.sendOk(owner, group, "second");

        Map<String, JsonNode> initial = receipts(owner, second);
        assertThat(initial.keySet())
                .containsExactlyInAnyOrder(
                        reader.id().toString(),
                        device.id().toString(),
                        offline.id().toString());
        initial.values().forEach(r -> {
            assertThat(r.path("status").asString()).isEqualTo("sent");
            assertThat(r.path("read_at").isNull()).isTrue();
            assertThat(r.path("delivered_at").isNull()).isTrue();
        });

        api.put("/api/v1/messages/" + second + "/delivered", device.token(), null)
                .expect(204);
        read(reader, first).expect(200);
        Map<String, JsonNode> now = receipts(reader, second);
        assertThat(now.get(device.id().toString()).path("status").asString()).isEqualTo("delivered");
        assertThat(now.get(device.id().toString()).path("delivered_at").asString())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(now.get(reader.id().toString()).path("status").asString()).isEqualTo("sent");
        assertThat(now.get(offline.id().toString()).path("status").asString()).isEqualTo("sent");
        Map<String, JsonNode> ofFirst = receipts(owner, first);
        assertThat(ofFirst.get(reader.id().toString()).path("status").asString())
                .isEqualTo("read");
        assertThat(ofFirst.get(reader.id().toString()).path("read_at").isNull()).isFalse();
        assertThat(ofFirst.get(device.id().toString()).path("status").asString())
                .isEqualTo("delivered");

        read(reader, second).expect(200);
        read(device, second).expect(200);
        Map<String, JsonNode> end = receipts(device, second);
        assertThat(end.get(reader.id().toString()).path("status").asString()).isEqualTo("read");
        assertThat(end.get(device.id().toString()).path("status").asString()).isEqualTo("read");
        assertThat(end.get(offline.id().toString()).path("status").asString()).isEqualTo("sent");
        // A later delivery for an older message does not move anything back.
        api.put("/api/v1/messages/" + first + "/delivered", device.token(), null)
                .expect(204);
        assertThat(receipts(owner, second)
                        .get(device.id().toString())
                        .path("status")
                        .asString())
                .isEqualTo("read");
    }

    @Test
    void outsidersCannotReadOrSeeReceipts() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        TestClient.User eve = api.register("eve");
        UUID message = chat.sendOk(alice, chat.direct(alice, bob), "secret");
        read(eve, message).expectError(404, "MESSAGE_NOT_FOUND");
        api.put("/api/v1/messages/" + message + "/delivered", eve.token(), null).expectError(404, "MESSAGE_NOT_FOUND");
        api.get("/api/v1/messages/" + message + "/receipts", eve.token()).expectError(404, "MESSAGE_NOT_FOUND");
        read(bob, UUID.randomUUID()).expectError(404, "MESSAGE_NOT_FOUND");
        read(bob, message).expect(200);
        api.put("/api/v1/messages/" + message + "/read", null, null).expectError(401, "UNAUTHORIZED");
    }

    @Test
    void listedUnreadCountsEqualPerConversationOnes() {
        TestClient.User me = api.register("me");
        TestClient.User bob = api.register("bob");
        TestClient.User carol = api.register("carol");
        UUID withBob = chat.direct(me, bob);
        UUID withCarol = chat.direct(me, carol);
        UUID group = chat.group(bob, "three", me, carol);
        UUID quiet = chat.direct(me, api.register("quiet"));
        Map<UUID, Long> expected = new HashMap<>(Map.of(withBob, 3L, withCarol, 1L, group, 4L, quiet, 0L));
        for (int i = 0; i < 3; i++) {
            chat.sendOk(bob, withBob, "b" + i);
        }
        chat.sendOk(me, withBob, "mine");
        chat.sendOk(carol, withCarol, "c");
        for (int i = 0; i < 2; i++) {
            chat.sendOk(bob, group, "g" + i);
            chat.sendOk(carol, group, "h" + i);
        }
        chat.sendOk(me, group, "mine too");
        for (JsonNode row :
                api.get("/api/v1/conversations", me.token()).expect(200).json().path("conversations")) {
            UUID id = UUID.fromString(row.path("conversation_id").asString());
            assertThat(row.path("unread_count").asLong())
                    .as("listed unread of %s", id)
                    .isEqualTo(expected.get(id));
            assertThat(chat.unread(me, id)).isEqualTo(expected.get(id));
        }
    }

    @Test
    void someoneWhoJoinedLaterIsNotListedForEarlierMessages() {
        TestClient.User owner = api.register("late");
        TestClient.User early = api.register("late");
        TestClient.User late = api.register("late");
        UUID group = chat.group(owner, "late joiners", early);
        UUID before = chat.sendOk(owner, group, "before the late one joined");
        api.post(
                        "/api/v1/conversations/" + group + "/participants",
                        owner.token(),
                        Map.of("user_ids", List.of(late.id().toString())))
                .expect(200);
        UUID after = chat.sendOk(owner, group, "after");

        var forBefore = api.get("/api/v1/messages/" + before + "/receipts", owner.token())
                .expect(200)
                .json();
        assertThat(forBefore.size()).isEqualTo(1);
        assertThat(forBefore.get(0).path("user_id").asString())
                .isEqualTo(early.id().toString());
        var forAfter = api.get("/api/v1/messages/" + after + "/receipts", owner.token())
                .expect(200)
                .json();
        assertThat(forAfter.size()).isEqualTo(2);
    }
}
