package dev.parley.push;

import static dev.parley.push.WebhookTest.acceptedOf;
import static dev.parley.push.WebhookTest.events;
import static dev.parley.push.WebhookTest.isUsers;
import static dev.parley.push.WebhookTest.messageIds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A burst whose pushes exceed one worker batch: the consumer's first transaction stops at one batch of pushes (so
 * the worker can start on them), the next transaction takes the rest, and nothing is lost, repeated or reordered.
 * With {@code parley.push.batch=3}, a message to 3 offline members is a batch on its own, and a transaction reads at
 * most 3 events.
 */
@TestPropertySource(properties = "parley.push.batch=3")
class NotifyBurstTest extends PushTestContext {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aBurstIsQueuedOneWorkerBatchFirstThenTheRestWithNothingLostOrRepeated() throws Exception {
        TestClient.User owner = api.register("burst_o");
        List<TestClient.User> members = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TestClient.User member = api.register("burst_m" + i);
            String token = token("burst");
            device(member, "fcm", token);
            members.add(member);
            tokens.add(token);
        }
        UUID group = chat.group(owner, "Burst", members.toArray(TestClient.User[]::new));
        // The group's own events (its system message last) are read before the burst, so they cannot join it.
        await().atMost(WAIT)
                .until(() -> acceptedOf(group).stream()
                        .anyMatch(e -> e.path("type").asString().equals("message.new")));
        List<String> sent = new ArrayList<>();
        // The whole burst is sent before the consumer reads any of it.
        beforeTheConsumerReads(() -> {
            for (int i = 0; i < 3; i++) {
                sent.add(chat.sendOk(owner, group, "burst " + i).toString());
            }
            return null;
        });
        await().atMost(WAIT)
                .until(() -> messageIds(acceptedOf(group), "message.new").containsAll(sent));

        List<JsonNode> events = acceptedOf(group);
        assertThat(messageIds(events, "message.new")).containsExactlyElementsOf(sent);
        // Each message is followed by its three notifications, once each.
        for (int i = 0; i < events.size(); i++) {
            if (isUsers(events.get(i), "message.new")) {
                String message =
                        WebhookTest.subject(events.get(i)).path("message_id").asString();
                assertThat(events.subList(i + 1, i + 4))
                        .allMatch(e -> e.path("type").asString().equals("notification.requested"))
                        .allMatch(e ->
                                e.path("data").path("message_id").asString().equals(message))
                        .extracting(e -> e.path("data").path("user_id").asString())
                        .containsExactlyInAnyOrderElementsOf(
                                members.stream().map(m -> m.id().toString()).toList());
            }
        }
        // The first message went out in a transaction (one webhook delivery) of its own; without the cut, the first
        // transaction would have read it with the next message (3 events a transaction).
        List<List<String>> byDelivery = WEBHOOK.accepted().stream()
                .map(request -> events(request).stream()
                        .filter(e -> isUsers(e, "message.new"))
                        .map(e -> WebhookTest.subject(e).path("message_id").asString())
                        .filter(sent::contains)
                        .toList())
                .filter(ids -> !ids.isEmpty())
                .toList();
        assertThat(byDelivery.getFirst()).containsExactly(sent.getFirst());
        assertThat(byDelivery.stream().flatMap(List::stream)).containsExactlyElementsOf(sent);
        // Every member's phone shows the newest message (pushes of one conversation collapse in the queue).
        for (String token : tokens) {
            await().atMost(WAIT).until(() -> ids(FCM.to(token), "message_id").contains(sent.getLast()));
        }
    }
}
