package dev.parley.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.TestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WebhookTest extends PushTestContext {

    private static final String SECRET = "test-webhook-secret-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** The documented recipe, as a receiver would write it. */
    private static String expectedSignature(String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "v1=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    static List<JsonNode> events(WebhookReceiver.Request request) {
        return TestClient.JSON
                .readTree(request.body())
                .path("events")
                .valueStream()
                .toList();
    }

    /** The accepted events of one conversation, in the order the receiver got them. */
    static List<JsonNode> acceptedOf(UUID conversation) {
        List<JsonNode> out = new ArrayList<>();
        for (WebhookReceiver.Request request : WEBHOOK.accepted()) {
            for (JsonNode event : events(request)) {
                JsonNode data = event.path("data");
                if (data.path("conversation_id").asString().equals(conversation.toString())) {
                    out.add(event);
                }
            }
        }
        return out;
    }

    /**
     * What an event is about: a message event's message (its data is {@code {conversation_id, message}}, as on the
     * socket and in sync), any other event's data.
     */
    static JsonNode subject(JsonNode event) {
        JsonNode data = event.path("data");
        return event.path("type").asString().startsWith("message.") ? data.path("message") : data;
    }

    /** Users' messages (or notifications) only: creating a group also logs its system message. */
    static boolean isUsers(JsonNode event, String type) {
        return event.path("type").asString().equals(type)
                && !subject(event).path("type").asString().equals("system");
    }

    /** The first accepted event of this type in the conversation whose data matches, once it has arrived. */
    private static JsonNode awaitAccepted(UUID conversation, String type, Predicate<JsonNode> data) {
        return await().atMost(WAIT)
                .until(
                        () -> acceptedOf(conversation).stream()
                                .filter(e -> e.path("type").asString().equals(type))
                                .filter(e -> data.test(e.path("data")))
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
    }

    static List<String> messageIds(List<JsonNode> events, String type) {
        return events.stream()
                .filter(e -> isUsers(e, type))
                .map(e -> subject(e).path("message_id").asString())
                .toList();
    }

    @Test
    void everyEventArrivesSignedInLogOrderWithTheNotificationsItCaused() throws Exception {
        TestClient.User owner = api.register("hook_o");
        TestClient.User member = api.register("hook_m");
        UUID group = chat.group(owner, "Hooked", member);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(chat.sendOk(owner, group, "hook " + i).toString());
        }
        await().atMost(WAIT)
                .until(() -> messageIds(acceptedOf(group), "message.new").containsAll(sent));
        for (WebhookReceiver.Request request : WEBHOOK.accepted()) {
            assertThat(request.signature()).isEqualTo(expectedSignature(request.timestamp(), request.body()));
            assertThat(Long.parseLong(request.timestamp()))
                    .isCloseTo(System.currentTimeMillis() / 1000, Offset.offset(120L));
            List<String> ids = events(request).stream()
                    .map(e -> e.path("event_id").asString())
                    .filter(id -> !id.isEmpty())
                    .toList();
            assertThat(new HashSet<>(ids))
                    .as("no event twice in delivery %s", request.id())
                    .hasSameSizeAs(ids);
        }
        List<JsonNode> events = acceptedOf(group);
        assertThat(messageIds(events, "message.new")).containsExactlyElementsOf(sent);
        assertThat(events.stream()
                        .filter(e -> isUsers(e, "message.new"))
                        .map(e -> subject(e).path("content").asString()))
                .containsExactly("hook 0", "hook 1", "hook 2");
        // The socket frame's data, which sync gives too: the conversation, and the message under "message".
        JsonNode first = events.stream()
                .filter(e -> isUsers(e, "message.new"))
                .findFirst()
                .orElseThrow();
        assertThat(first.path("data").path("conversation_id").asString()).isEqualTo(group.toString());
        JsonNode synced = api.get("/api/v1/sync?limit=500", member.token())
                .json()
                .path("events")
                .valueStream()
                .filter(e -> e.path("type").asString().equals("message.new"))
                .filter(e -> e.path("data")
                        .path("message")
                        .path("message_id")
                        .asString()
                        .equals(sent.getFirst()))
                .findFirst()
                .orElseThrow();
        assertThat(first.path("data").properties().stream().map(Map.Entry::getKey))
                .containsExactlyInAnyOrderElementsOf(synced.path("data").properties().stream()
                        .map(Map.Entry::getKey)
                        .toList());
        // The message as sync shows it (here taken as the sending node announced it, not read back).
        assertThat(subject(first)).isEqualTo(synced.path("data").path("message"));
        // Log order: event ids only grow; each message is followed by its notification for the member.
        List<Long> ids = events.stream()
                .filter(e -> e.has("event_id"))
                .map(e -> Long.parseLong(e.path("event_id").asString()))
                .toList();
        assertThat(ids).isSorted();
        for (int i = 0; i < events.size(); i++) {
            if (isUsers(events.get(i), "message.new")) {
                JsonNode next = events.get(i + 1);
                assertThat(next.path("type").asString()).isEqualTo("notification.requested");
                assertThat(next.path("data").path("user_id").asString())
                        .isEqualTo(member.id().toString());
                assertThat(next.path("data").path("message_id").asString())
                        .isEqualTo(subject(events.get(i)).path("message_id").asString());
                assertThat(next.path("data").path("title").asString()).isEqualTo("Hooked");
            }
        }
        // The badge as of when the consumer read the message: messages read in one pass share the newest.
        List<Long> badges = events.stream()
                .filter(e -> e.path("type").asString().equals("notification.requested"))
                .map(e -> e.path("data").path("badge").asLong())
                .toList();
        assertThat(badges).hasSize(3).isSorted().allMatch(b -> b >= 1).endsWith(3L);
        // Once read, the receipt follows: events other than messages carry their data as logged (an object).
        api.put("/api/v1/messages/" + sent.getLast() + "/read", member.token(), null)
                .expect(200);
        JsonNode receipt = awaitAccepted(
                group,
                "receipt.updated",
                data -> data.path("user_id").asString().equals(member.id().toString()));
        assertThat(receipt.path("data").isObject()).isTrue();
        assertThat(receipt.path("data").path("conversation_id").asString()).isEqualTo(group.toString());
    }

    @Test
    void anEditArrivesAsMessageUpdatedWithTheMessageAsItIsNow() {
        TestClient.User owner = api.register("hook_edit_o");
        TestClient.User member = api.register("hook_edit_m");
        UUID direct = chat.direct(owner, member);
        UUID message = chat.sendOk(owner, direct, "first words");
        api.patch("/api/v1/messages/" + message, owner.token(), Map.of("content", "second words"))
                .expect(200);
        // The edit's event names the message by id and time; the delivery carries the message looked up by both.
        JsonNode edited = awaitAccepted(direct, "message.updated", data -> true);
        assertThat(edited.path("data").path("conversation_id").asString()).isEqualTo(direct.toString());
        assertThat(subject(edited).path("message_id").asString()).isEqualTo(message.toString());
        assertThat(subject(edited).path("content").asString()).isEqualTo("second words");
    }

    @Test
    void aMessageChangedBeforeItsDeliveryWasRecordedGoesOutAsItIsThen() throws Exception {
        TestClient.User owner = api.register("hook_late_o");
        TestClient.User member = api.register("hook_late_m");
        UUID direct = chat.direct(owner, member);
        // Both messages sent and changed before the consumer reads them: their deliveries are recorded after.
        List<UUID> changed = beforeTheConsumerReads(() -> {
            UUID toEdit = chat.sendOk(owner, direct, "words as sent");
            UUID toDelete = chat.sendOk(owner, direct, "words to take back");
            api.patch("/api/v1/messages/" + toEdit, owner.token(), Map.of("content", "words as edited"))
                    .expect(200);
            api.delete("/api/v1/messages/" + toDelete, owner.token()).expect(204);
            return List.of(toEdit, toDelete);
        });
        UUID edited = changed.get(0);
        UUID deleted = changed.get(1);
        JsonNode editedNew = awaitAccepted(
                direct,
                "message.new",
                data -> data.path("message").path("message_id").asString().equals(edited.toString()));
        assertThat(subject(editedNew).path("content").asString()).isEqualTo("words as edited");
        JsonNode deletedNew = awaitAccepted(
                direct,
                "message.new",
                data -> data.path("message").path("message_id").asString().equals(deleted.toString()));
        assertThat(subject(deletedNew).path("is_deleted").asBoolean()).isTrue();
        assertThat(deletedNew.toString()).doesNotContain("words to take back");
    }

    @Test
    void aReceiverThatWasDownGetsEverythingWithTheSameDeliveryIdsOnceItIsBack() {
        TestClient.User owner = api.register("hook_down_o");
        TestClient.User member = api.register("hook_down_m");
        UUID direct = chat.direct(owner, member);
        WEBHOOK.down = true;
        List<String> sent = new ArrayList<>();
        Set<String> failedIds;
        try {
            sent.add(chat.sendOk(owner, direct, "while down 1").toString());
            sent.add(chat.sendOk(owner, direct, "while down 2").toString());
            List<WebhookReceiver.Request> failed = await().atMost(WAIT)
                    .until(
                            () -> WEBHOOK.requests.stream()
                                    .filter(r -> r.status() == 503)
                                    .toList(),
                            r -> r.size() >= 3);
            failedIds = new HashSet<>(
                    failed.stream().map(WebhookReceiver.Request::id).toList());
            // The same delivery was retried, not a new one made each time.
            assertThat(failedIds.size()).isLessThan(failed.size());
        } finally {
            WEBHOOK.down = false;
        }
        await().atMost(WAIT)
                .until(() -> messageIds(acceptedOf(direct), "message.new").containsAll(sent));
        assertThat(messageIds(acceptedOf(direct), "message.new")).containsExactlyElementsOf(sent);
        assertThat(WEBHOOK.accepted().stream().map(WebhookReceiver.Request::id)).containsAnyElementsOf(failedIds);
        List<String> acceptedIds =
                WEBHOOK.accepted().stream().map(WebhookReceiver.Request::id).toList();
        assertThat(new HashSet<>(acceptedIds))
                .as("each delivery acknowledged once")
                .hasSameSizeAs(acceptedIds);
    }

    @Test
    void theStatusIsForAdminsOnly() {
        TestClient.User someone = api.register("hook_status");
        api.get("/api/v1/admin/webhooks/status", someone.token()).expectError(403, "FORBIDDEN");
        api.get("/api/v1/admin/webhooks/status", null).expectError(401, "UNAUTHORIZED");
        String metrics = api.get("/metrics", null).raw();
        assertThat(metrics)
                .contains("webhook_lag_seconds")
                .contains("webhook_deliveries_total")
                .contains("push_queue_depth");
    }
}
