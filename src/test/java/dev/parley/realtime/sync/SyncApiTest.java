package dev.parley.realtime.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.reaction.ReactionService;
import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** Catch-up through {@code GET /sync}: order, paging, commit order, long poll, visibility, cursors. */
class SyncApiTest extends ApiTest {

    @Autowired
    private PlatformTransactionManager transactionManager;

    @Autowired
    private ReactionService reactions;

    @Autowired
    private SyncWaiters waiters;

    @Autowired
    private EventRetention retention;

    @Autowired
    private MeterRegistry meters;

    private double served(String transport) {
        return meters.get("sync.events.served")
                .tag("transport", transport)
                .counter()
                .count();
    }

    /** Everything after {@code since} (from the beginning when null), following next_cursor to the end. */
    private List<JsonNode> drain(TestClient.User user, String since) {
        List<JsonNode> out = new ArrayList<>();
        follow(user, since, out);
        return out;
    }

    /** Follows next_cursor from {@code since} to the end, collecting the events; returns the last cursor. */
    private String follow(TestClient.User user, String since, List<JsonNode> into) {
        String cursor = since;
        while (true) {
            JsonNode page = sync(user, cursor, "limit=100");
            page.path("events").forEach(into::add);
            cursor = page.path("next_cursor").isNull()
                    ? null
                    : page.path("next_cursor").asString();
            if (!page.path("has_more").asBoolean()) {
                return cursor;
            }
        }
    }

    private JsonNode sync(TestClient.User user, String since, String query) {
        String q = (since == null ? "" : "since=" + since + "&") + query;
        return api.get("/api/v1/sync?" + q, user.token()).expect(200).json();
    }

    private String cursorOf(TestClient.User user) {
        return follow(user, null, new ArrayList<>());
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asString()).toList();
    }

    private static boolean isSystem(JsonNode event) {
        return "system".equals(event.path("data").path("message").path("type").asString());
    }

    private void react(TestClient.User user, UUID message, String emoji) {
        api.post("/api/v1/messages/" + message + "/reactions", user.token(), Map.of("emoji", emoji))
                .expect(201);
    }

    @Test
    void everyMutationAppearsInCommitOrder() {
        TestClient.User owner = api.register("syncown");
        TestClient.User member = api.register("syncmem");
        TestClient.User other = api.register("syncoth");
        TestClient.User later = api.register("synclat");
        UUID group = chat.group(owner, "sync group", member, other);
        UUID first = chat.sendOk(owner, group, "first");
        UUID second = chat.sendOk(member, group, "second");
        api.patch("/api/v1/messages/" + first, owner.token(), Map.of("content", "first, edited"))
                .expect(200);
        react(other, first, "👍");
        api.delete(
                        "/api/v1/messages/" + first + "/reactions/" + URLEncoder.encode("👍", StandardCharsets.UTF_8),
                        other.token())
                .expect(204);
        api.put("/api/v1/messages/" + second + "/read", member.token(), null).expect(200);
        api.patch("/api/v1/conversations/" + group, owner.token(), Map.of("name", "renamed"))
                .expect(200);
        api.post(
                        "/api/v1/conversations/" + group + "/participants",
                        owner.token(),
                        Map.of("user_ids", List.of(later.id())))
                .expect(200);
        api.delete("/api/v1/conversations/" + group + "/participants/" + other.id(), owner.token())
                .expect(204);
        api.delete("/api/v1/messages/" + first, owner.token()).expect(204);

        List<JsonNode> events = drain(member, null);
        List<JsonNode> changes = events.stream().filter(e -> !isSystem(e)).toList();
        assertThat(types(changes))
                .containsExactly(
                        "message.new",
                        "message.new",
                        "message.updated",
                        "message.reaction",
                        "message.reaction",
                        "receipt.updated",
                        "conversation.updated",
                        "participant.added",
                        "participant.removed",
                        "message.deleted");
        // Membership changes and the group's creation leave system messages too, in the same commits.
        assertThat(events.stream().filter(SyncApiTest::isSystem).count()).isEqualTo(4);

        // Messages are read at sync time: the first message is a tombstone now, in both of its events.
        assertThat(changes.get(0)
                        .path("data")
                        .path("message")
                        .path("message_id")
                        .asString())
                .isEqualTo(first.toString());
        assertThat(changes.get(0)
                        .path("data")
                        .path("message")
                        .path("is_deleted")
                        .asBoolean())
                .isTrue();
        assertThat(changes.get(1).path("data").path("message").path("content").asString())
                .isEqualTo("second");
        assertThat(changes.get(1).path("data").path("conversation_id").asString())
                .isEqualTo(group.toString());
        assertThat(changes.get(3).path("data").path("action").asString()).isEqualTo("added");
        assertThat(changes.get(3).path("data").path("emoji").asString()).isEqualTo("👍");
        assertThat(changes.get(4).path("data").path("action").asString()).isEqualTo("removed");
        assertThat(changes.get(5).path("data").path("last_read_seq").asLong()).isEqualTo(3);
        assertThat(changes.get(6).path("data").path("name").asString()).isEqualTo("renamed");
        assertThat(changes.get(7).path("data").path("user").path("user_id").asString())
                .isEqualTo(later.id().toString());
        assertThat(changes.get(8).path("data").path("user_id").asString())
                .isEqualTo(other.id().toString());
        assertThat(changes.get(9).path("data").path("message_id").asString()).isEqualTo(first.toString());

        // Each event's id is the cursor just after it: syncing from one returns exactly the rest.
        String middle = events.get(4).path("event_id").asString();
        assertThat(drain(member, middle)).containsExactlyElementsOf(events.subList(5, events.size()));
    }

    @Test
    void pagesFollowNextCursorWithoutGapsOrRepeats() {
        TestClient.User a = api.register("syncpa");
        TestClient.User b = api.register("syncpb");
        UUID direct = chat.direct(a, b);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            sent.add(chat.sendOk(a, direct, "page " + i).toString());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        boolean more = true;
        while (more) {
            JsonNode page = sync(b, cursor, "limit=3");
            assertThat(page.path("events").size()).isLessThanOrEqualTo(3);
            page.path("events")
                    .forEach(e -> seen.add(
                            e.path("data").path("message").path("message_id").asString()));
            cursor = page.path("next_cursor").asString();
            more = page.path("has_more").asBoolean();
            pages++;
        }
        assertThat(seen).containsExactlyElementsOf(sent);
        assertThat(pages).isEqualTo(3);
        JsonNode after = sync(b, cursor, "limit=3");
        assertThat(after.path("events").isEmpty()).isTrue();
        assertThat(after.path("has_more").asBoolean()).isFalse();
        assertThat(after.path("next_cursor").asString()).isEqualTo(cursor);
    }

    @Test
    void anEventIsWithheldWhileAnOlderTransactionIsOpenThenBothArriveInOrder() {
        TestClient.User a = api.register("syncxa");
        TestClient.User b = api.register("syncxb");
        UUID direct = chat.direct(a, b);
        UUID group = chat.group(a, "commit order", b);
        UUID target = chat.sendOk(a, direct, "react to me");
        String cursor = cursorOf(b);

        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            // Writes its event with the older transaction id, and stays open.
            reactions.add(b.id(), target, "🎉");
            // A later transaction commits its event while the first is still open.
            UUID later = chat.sendOk(a, group, "committed later");
            assertThat(chat.history(b, group).get(0).path("message_id").asString())
                    .isEqualTo(later.toString());
            JsonNode held = sync(b, cursor, "limit=100");
            assertThat(held.path("events").isEmpty())
                    .as("nothing past an open transaction: %s", held)
                    .isTrue();
            assertThat(held.path("next_cursor").asString()).isEqualTo(cursor);
        });

        List<JsonNode> both = drain(b, cursor);
        assertThat(types(both)).containsExactly("message.reaction", "message.new");
        assertThat(both.get(0).path("data").path("emoji").asString()).isEqualTo("🎉");
        assertThat(both.get(1).path("data").path("message").path("content").asString())
                .isEqualTo("committed later");
    }

    @Test
    void aRolledBackChangeLeavesNoEvent() {
        TestClient.User a = api.register("syncrba");
        TestClient.User b = api.register("syncrbb");
        UUID direct = chat.direct(a, b);
        UUID target = chat.sendOk(a, direct, "react, then change your mind");
        String cursor = cursorOf(b);
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            reactions.add(b.id(), target, "🙃");
            status.setRollbackOnly();
        });
        api.put("/api/v1/messages/" + target + "/read", b.token(), null).expect(200);
        // Only the read, which committed: the reaction's event went with its rollback.
        assertThat(types(drain(b, cursor))).containsExactly("receipt.updated");
    }

    @Test
    void longPollReturnsAsSoonAsAMessageArrives() throws Exception {
        TestClient.User a = api.register("synclpa");
        TestClient.User b = api.register("synclpb");
        UUID direct = chat.direct(a, b);
        chat.sendOk(a, direct, "before");
        String cursor = cursorOf(b);
        long started = System.nanoTime();
        CompletableFuture<JsonNode> poll = CompletableFuture.supplyAsync(() -> sync(b, cursor, "timeout=25"));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting(b.id()) > 0);
        // The metrics see the waiting poll, then count what it returns (other tests only ever add to the count).
        assertThat(meters.get("sync.waiting").gauge().value()).isGreaterThanOrEqualTo(1);
        double servedBefore = served("sync");
        UUID sent = chat.sendOk(a, direct, "wake up");
        JsonNode page = poll.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(page.path("events")
                        .get(0)
                        .path("data")
                        .path("message")
                        .path("message_id")
                        .asString())
                .isEqualTo(sent.toString());
        assertThat(served("sync") - servedBefore)
                .isGreaterThanOrEqualTo(page.path("events").size());
    }

    @Test
    void longPollAnswersEmptyWhenTheTimeoutPasses() {
        TestClient.User a = api.register("syncto");
        String cursor = cursorOf(a);
        Instant started = Instant.now();
        JsonNode page = sync(a, cursor, "timeout=1");
        assertThat(Duration.between(started, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(page.path("events").isEmpty()).isTrue();
        assertThat(page.path("has_more").asBoolean()).isFalse();
    }

    @Test
    void outsidersRemovedMembersAndBlockedAuthorsAreFilteredOut() {
        TestClient.User owner = api.register("syncvo");
        TestClient.User member = api.register("syncvm");
        TestClient.User leaving = api.register("syncvl");
        TestClient.User outsider = api.register("syncvx");
        UUID group = chat.group(owner, "visibility", member, leaving);
        chat.sendOk(owner, group, "before removal");
        api.delete("/api/v1/conversations/" + group + "/participants/" + leaving.id(), owner.token())
                .expect(204);
        chat.block(member, owner);
        UUID afterBlock = chat.sendOk(owner, group, "after removal, from a blocked author");
        react(owner, afterBlock, "👀");
        UUID fromMember = chat.sendOk(member, group, "from a member");

        assertThat(drain(outsider, null)).isEmpty();

        List<JsonNode> removed = drain(leaving, null);
        assertThat(types(removed)).containsExactly("participant.removed");
        assertThat(removed.getFirst().path("data").path("user_id").asString())
                .isEqualTo(leaving.id().toString());

        List<JsonNode> seen = drain(member, null);
        List<String> authors = seen.stream()
                .filter(e -> e.path("type").asString().startsWith("message.") && !isSystem(e))
                .map(e -> e.path("data").path("message").path("sender_id").asString())
                .toList();
        // Blocks are applied when the client syncs, so the blocked author's earlier messages are hidden as well.
        assertThat(authors).containsOnly(member.id().toString());
        assertThat(seen.stream()
                        .anyMatch(e -> e.path("data")
                                .path("message")
                                .path("message_id")
                                .asString()
                                .equals(fromMember.toString())))
                .isTrue();
        assertThat(types(seen)).doesNotContain("message.reaction").contains("participant.removed");
        // The owner, who blocked no one, sees everything.
        assertThat(types(drain(owner, null))).contains("message.reaction");
    }

    @Test
    void badCursorsAndParametersAreRefused() {
        TestClient.User a = api.register("syncbad");
        for (String since : List.of("garbage", "12_", "_12", "-1_4", "1_2_3", "99999999999999999999_1")) {
            api.get("/api/v1/sync?since=" + since, a.token()).expectError(400, "VALIDATION_FAILED");
        }
        api.get("/api/v1/sync?limit=0", a.token()).expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/sync?timeout=31", a.token()).expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/sync", null).expect(401);
    }

    @Test
    void aCursorOlderThanTheRetentionIsToldToResync() {
        TestClient.User a = api.register("syncra");
        TestClient.User b = api.register("syncrb");
        UUID direct = chat.direct(a, b);
        chat.sendOk(a, direct, "old");
        String old = cursorOf(b);
        chat.sendOk(a, direct, "purged");
        retention.purgeOlderThan(Instant.now().plusSeconds(1));
        TestClient.Resp refused =
                api.get("/api/v1/sync?since=" + old, b.token()).expectError(400, "VALIDATION_FAILED");
        assertThat(refused.text("message")).contains("resync from history");
        // Starting over works, and new events flow again.
        UUID fresh = chat.sendOk(a, direct, "fresh");
        List<JsonNode> events = drain(b, null);
        assertThat(events).hasSize(1);
        assertThat(events.getFirst()
                        .path("data")
                        .path("message")
                        .path("message_id")
                        .asString())
                .isEqualTo(fresh.toString());
    }
}
