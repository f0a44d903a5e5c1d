package dev.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.Ids;
import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The group-commit statement decides membership, idempotency and seq for each message of a batch on its own. */
class BatchInsertTest extends ApiTest {

    @Autowired
    SendTransaction transaction;

    @Test
    void eachMessageOfABatchIsJudgedOnItsOwn() {
        TestClient.User alice = api.register("bat");
        TestClient.User bob = api.register("bat");
        TestClient.User outsider = api.register("bat");
        UUID conversation = chat.direct(alice, bob);
        api.post(
                        "/api/v1/conversations/" + conversation + "/messages",
                        alice.token(),
                        Map.of("type", "text", "content", "earlier", "client_message_id", "used-before"))
                .expect(201);

        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var fresh = message(conversation, alice, "one", "k1", now);
        var repeatInBatch = message(conversation, alice, "one again", "k1", now);
        var usedBefore = message(conversation, alice, "earlier again", "used-before", now);
        var notMember = message(conversation, outsider, "let me in", null, now);
        var unkeyed = message(conversation, bob, "two", null, now.plusMillis(3));

        var stored = transaction.store(List.of(fresh, repeatInBatch, usedBefore, notMember, unkeyed));

        assertThat(stored).containsOnlyKeys(fresh.messageId(), unkeyed.messageId());
        assertThat(stored.get(fresh.messageId()).seq()).isEqualTo(2);
        assertThat(stored.get(fresh.messageId()).sender().username()).isEqualTo(alice.username());
        assertThat(stored.get(unkeyed.messageId()).seq()).isEqualTo(3);
        // A batch shares the newest time, so created_at never goes backwards in seq order.
        assertThat(stored.get(fresh.messageId()).createdAt()).isEqualTo(now.plusMillis(3));
        var history = api.get("/api/v1/conversations/" + conversation + "/messages", bob.token())
                .expect(200);
        assertThat(history.json().path("messages").size()).isEqualTo(3);
        assertThat(api.get("/api/v1/conversations/" + conversation, bob.token())
                        .json()
                        .path("last_seq")
                        .asLong())
                .isEqualTo(3);
    }

    private static MessageRepository.NewMessage message(
            UUID conversation, TestClient.User sender, String text, String key, Instant at) {
        return new MessageRepository.NewMessage(
                Ids.uuidV7(at.toEpochMilli()), conversation, sender.id(), MessageType.TEXT, text, "{}", null, key, at);
    }

    @Test
    void oneBatchSpansConversationsWithSeqsCountedPerConversation() {
        TestClient.User alice = api.register("span");
        TestClient.User bob = api.register("span");
        TestClient.User carol = api.register("span");
        TestClient.User blocker = api.register("span");
        UUID withBob = chat.direct(alice, bob);
        UUID withCarol = chat.direct(alice, carol);
        UUID withBlocker = chat.direct(alice, blocker);
        chat.sendOk(carol, withCarol, "first");
        api.post("/api/v1/users/" + alice.id() + "/block", blocker.token(), null)
                .expect(204);

        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var toCarol = message(withCarol, alice, "to carol", null, now);
        var toBob1 = message(withBob, alice, "to bob 1", null, now);
        var toBob2 = message(withBob, bob, "to bob 2", null, now);
        var toBlocker = message(withBlocker, alice, "blocked", null, now);

        var stored = transaction.store(List.of(toCarol, toBob1, toBob2, toBlocker));

        assertThat(stored).containsOnlyKeys(toCarol.messageId(), toBob1.messageId(), toBob2.messageId());
        assertThat(stored.get(toCarol.messageId()).seq()).isEqualTo(2);
        assertThat(stored.get(toBob1.messageId()).seq()).isEqualTo(1);
        assertThat(stored.get(toBob2.messageId()).seq()).isEqualTo(2);
        // Through the API, the refused one is explained: the block gives 403.
        chat.send(alice, withBlocker, "still blocked").expectError(403, "USER_BLOCKED");
    }
}
