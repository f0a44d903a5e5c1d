package dev.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.Ids;
import dev.parley.support.ApiTest;
import dev.parley.support.Chat;
import dev.parley.support.TestClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Search through the public API: it reads a background index of the caller's own conversations, which trails
 * sends, edits and deletes by about a second (hence the waits).
 */
class SearchApiTest extends ApiTest {

    @Autowired
    private MessageRepository messages;

    @Autowired
    private TransactionTemplate transactions;

    @Autowired
    private JdbcClient jdbc;

    private static String word(String prefix) {
        // Letters only: the English stemmer leaves such a made-up word whole.
        return prefix + Long.toString(System.nanoTime(), 36).replaceAll("[0-9]", "q");
    }

    private static List<String> ids(JsonNode found) {
        List<String> ids = new ArrayList<>();
        found.forEach(m -> ids.add(m.path("message_id").asString()));
        return ids;
    }

    @Test
    void aUserNeverFindsOtherUsersMessages() {
        String word = word("walrus");
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        TestClient.User carol = api.register("carol");
        TestClient.User dave = api.register("dave");
        TestClient.User eve = api.register("eve");
        UUID ab = chat.direct(alice, bob);
        UUID cd = chat.direct(carol, dave);
        UUID group = chat.group(carol, "g", dave);
        String theirs = chat.sendOk(carol, cd, "their " + word).toString();
        String theirsInGroup = chat.sendOk(dave, group, "group " + word).toString();
        String ours = chat.sendOk(bob, ab, "our " + word).toString();

        // Indexed in commit order: once alice finds hers, carol's and dave's earlier ones are indexed too.
        Chat.eventually(() -> assertThat(ids(chat.search(alice, null, word))).containsExactly(ours));
        assertThat(ids(chat.search(bob, null, word))).containsExactly(ours);
        assertThat(ids(chat.search(carol, null, word))).containsExactlyInAnyOrder(theirs, theirsInGroup);
        assertThat(ids(chat.search(eve, null, word))).isEmpty();
        // Another's conversation is not found at all, as everywhere else.
        for (UUID other : List.of(cd, group)) {
            api.get("/api/v1/conversations/" + other + "/messages/search?q=" + word, alice.token())
                    .expectError(404, "CONVERSATION_NOT_FOUND");
        }
    }

    @Test
    void messagesOfAConversationTheCallerLeftOrWasRemovedFromAreGone() {
        String word = word("heron");
        TestClient.User owner = api.register("owner");
        TestClient.User leaver = api.register("leaver");
        TestClient.User removed = api.register("removed");
        UUID group = chat.group(owner, "g", leaver, removed);
        chat.sendOk(owner, group, "before " + word);
        for (TestClient.User member : List.of(leaver, removed)) {
            Chat.eventually(() -> assertThat(chat.search(member, null, word)).hasSize(1));
        }

        api.delete("/api/v1/conversations/" + group, leaver.token()).expect(204);
        api.delete("/api/v1/conversations/" + group + "/participants/" + removed.id(), owner.token())
                .expect(204);

        // At once: membership is judged when searching, not when indexing.
        for (TestClient.User former : List.of(leaver, removed)) {
            assertThat(chat.search(former, null, word)).isEmpty();
            api.get("/api/v1/conversations/" + group + "/messages/search?q=" + word, former.token())
                    .expectError(404, "CONVERSATION_NOT_FOUND");
        }
        assertThat(chat.search(owner, group, word)).hasSize(1);
    }

    @Test
    void editsAreReindexedAndDeletesDisappear() {
        String before = word("ibis");
        String after = word("stork");
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conversation = chat.direct(alice, bob);
        UUID id = chat.sendOk(alice, conversation, "first " + before);
        Chat.eventually(
                () -> assertThat(ids(chat.search(bob, conversation, before))).containsExactly(id.toString()));

        api.patch("/api/v1/messages/" + id, alice.token(), Map.of("content", "now " + after))
                .expect(200);
        Chat.eventually(() -> {
            JsonNode found = chat.search(bob, null, after);
            assertThat(ids(found)).containsExactly(id.toString());
            assertThat(found.get(0).path("content").asString()).isEqualTo("now " + after);
            assertThat(found.get(0).path("is_edited").asBoolean()).isTrue();
            assertThat(chat.search(bob, null, before)).isEmpty();
        });

        api.delete("/api/v1/messages/" + id, alice.token()).expect(204);
        assertThat(chat.search(bob, null, after)).isEmpty();
        assertThat(chat.search(alice, conversation, after)).isEmpty();
    }

    @Test
    void systemMessagesAreNotFound() {
        String word = word("egret");
        TestClient.User owner = api.register("owner");
        TestClient.User member = api.register("member");
        // "<owner> created the group "<word>"" is a system message of the group.
        UUID group = chat.group(owner, word, member);
        String text = chat.sendOk(member, group, "a text about " + word).toString();

        // Indexed in commit order: once the text is found, the earlier system message has been looked at too.
        Chat.eventually(() -> assertThat(ids(chat.search(owner, null, word))).containsExactly(text));
        assertThat(ids(chat.search(owner, group, word))).containsExactly(text);
    }

    /**
     * A send whose transaction started before others and commits after them (a slow statement, a stalled node)
     * must still be indexed: the indexer reads only transactions below the oldest still running, so it cannot
     * move its cursor past one that commits late. While that transaction is open, later messages wait.
     */
    @Test
    void aMessageCommittedOutOfOrderIsStillIndexed() throws Exception {
        String word = word("pelican");
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        TestClient.User carol = api.register("carol");
        UUID slowConversation = chat.direct(alice, bob);
        UUID quickConversation = chat.direct(alice, carol);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID slowId = Ids.uuidV7(at.toEpochMilli());
        CompletableFuture<Map<UUID, MessageRepository.Stored>> slow =
                CompletableFuture.supplyAsync(() -> transactions.execute(status -> {
                    // The transaction id is taken now, before the quick send below starts.
                    jdbc.sql("SELECT pg_current_xact_id()").query(String.class).single();
                    started.countDown();
                    await(release);
                    // The very statements a send runs (lock, then store), joining this transaction.
                    return messages.insertBatch(List.of(new MessageRepository.NewMessage(
                            slowId,
                            slowConversation,
                            alice.id(),
                            MessageType.TEXT,
                            "slow " + word,
                            "{}",
                            null,
                            null,
                            at)));
                }));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        String quick;
        try {
            quick = chat.sendOk(alice, quickConversation, "quick " + word).toString();
            // Committed, but behind a transaction still open: not indexed yet, however long we look.
            Awaitility.await()
                    .during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> chat.search(alice, null, word).isEmpty());
        } finally {
            release.countDown();
        }
        assertThat(slow.get(10, TimeUnit.SECONDS)).containsKey(slowId);

        Chat.eventually(() ->
                assertThat(ids(chat.search(alice, null, word))).containsExactlyInAnyOrder(quick, slowId.toString()));
        assertThat(ids(chat.search(bob, null, word))).containsExactly(slowId.toString());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
