package dev.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.Ids;
import dev.parley.support.ApiTest;
import dev.parley.support.Chat;
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
    MessageRepository repository;

    @Test
    void eachMessageOfABatchIsJudgedOnItsOwn() {
        Chat chat = new Chat(api);
        TestClient.User alice = api.register("bat");
        TestClient.User bob = api.register("bat");
        TestClient.User outsider = api.register("bat");
        UUID conversation = chat.direct(alice, bob);
        api.post("/api/v1/conversations/" + conversation + "/messages", alice.token(),
                Map.of("type", "text", "content", "earlier", "client_message_id", "used-before")).expect(201);

        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var fresh = message(conversation, alice, "one", "k1", now);
        var repeatInBatch = message(conversation, alice, "one again", "k1", now);
        var usedBefore = message(conversation, alice, "earlier again", "used-before", now);
        var notMember = message(conversation, outsider, "let me in", null, now);
        var unkeyed = message(conversation, bob, "two", null, now.plusMillis(3));

        var stored = repository.insertBatch(conversation, List.of(fresh, repeatInBatch, usedBefore, notMember, unkeyed));

        assertThat(stored).containsOnlyKeys(fresh.messageId(), unkeyed.messageId());
        assertThat(stored.get(fresh.messageId()).seq()).isEqualTo(2);
        assertThat(stored.get(unkeyed.messageId()).seq()).isEqualTo(3);
        // A batch shares the newest time, so created_at never goes backwards in seq order.
        assertThat(stored.get(fresh.messageId()).createdAt()).isEqualTo(now.plusMillis(3));
        var history = api.get("/api/v1/conversations/" + conversation + "/messages", bob.token()).expect(200);
        assertThat(history.json().path("messages").size()).isEqualTo(3);
        assertThat(api.get("/api/v1/conversations/" + conversation, bob.token()).json().path("last_seq").asLong())
                .isEqualTo(3);
    }

    private static MessageRepository.NewMessage message(UUID conversation, TestClient.User sender, String text,
            String key, Instant at) {
        return new MessageRepository.NewMessage(Ids.uuidV7(at.toEpochMilli()), conversation, sender.id(), "text", text,
                "{}", null, key, at, false);
    }
}
