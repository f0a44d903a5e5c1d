package dev.parley.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.Chat;
import dev.parley.support.RedisAvailable;
import dev.parley.support.SseClient;
import dev.parley.support.TestClient;
import dev.parley.support.TestNodes;
import dev.parley.support.WsClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code request.updated} crosses nodes: two nodes under the contact policy {@code requests} share the tests'
 * PostgreSQL and the Redis on localhost. The requester acts on node 1; the recipient's phone is on node 1 and their
 * laptop on node 2, and both hear of the request; the requester's socket hears nothing of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestNoticeAcrossNodesTest {

    private TestNodes nodes;
    private TestClient api1;
    private TestClient api2;

    @BeforeAll
    void startNodes() {
        nodes = new TestNodes();
        api1 = nodes.start("--parley.contacts.policy=requests");
        // A short heartbeat, so that node 2 soon notices an event stream the client closed.
        api2 = nodes.start("--parley.contacts.policy=requests", "--parley.sync.sse-heartbeat=1s");
    }

    @AfterAll
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private UUID directRequest(TestClient.User requester, TestClient.User recipient) {
        return api1.post(
                        "/api/v1/conversations",
                        requester.token(),
                        Map.of(
                                "type",
                                "direct",
                                "participant_ids",
                                List.of(recipient.id().toString())))
                .expect(201)
                .id("conversation_id");
    }

    @Test
    void theRecipientHearsOfARequestOnEveryNodeAndTheRequesterHearsNothing() {
        TestClient.User requester = api1.register("node_from");
        TestClient.User recipient = api1.register("node_to");
        Chat chat1 = new Chat(api1);
        try (WsClient requesterSocket = WsClient.connect(api1, requester);
                WsClient phone = WsClient.connect(api1, recipient);
                WsClient laptop = WsClient.connect(api2, recipient)) {
            // The laptop's node listens for the recipient once a message of their own, sent on node 1, reaches it.
            UUID own = chat1.group(recipient, "Mine");
            chat1.sendOk(recipient, own, "subscribed");
            laptop.await("message.new", d -> d.toString().contains("subscribed"));

            UUID id = directRequest(requester, recipient);
            chat1.sendOk(requester, id, "hello across nodes");
            for (WsClient device : List.of(phone, laptop)) {
                device.await(
                        "request.updated",
                        d -> d.path("conversation_id").asString().equals(id.toString())
                                && d.path("requests").path("count").asLong() == 1
                                && d.path("requests").path("unread_count").asLong() == 1);
            }
            // A marker of the requester's own, delivered after the notices: still no notice for them.
            chat1.sendOk(requester, chat1.group(requester, "Own"), "marker");
            requesterSocket.await("message.new", d -> d.toString().contains("marker"));
            assertThat(requesterSocket.received("request.updated")).isEmpty();
        }
    }

    @Test
    void anEventStreamOnAnotherNodeHearsOfARequestToo() throws Exception {
        TestClient.User requester = api1.register("node_sse_from");
        TestClient.User recipient = api1.register("node_sse_to");
        Chat chat1 = new Chat(api1);
        // The recipient holds no socket anywhere: node 2 listens for them because of the stream alone.
        try (SseClient stream = SseClient.open(api2, recipient, null)) {
            UUID id = directRequest(requester, recipient);
            // The stream's subscription is made asynchronously: each message is a new notice, until one arrives.
            await().atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        chat1.sendOk(requester, id, "knock");
                        return stream.received("request.updated").stream()
                                .anyMatch(d ->
                                        d.path("conversation_id").asString().equals(id.toString()));
                    });
            assertThat(stream.received("message.new")).isEmpty();
        }
    }

    /**
     * Node 2 holds the recipient's channel while a socket or an event stream of theirs is there: their last socket
     * closing leaves it subscribed for the stream, which still hears of a request, and the stream closing then leaves
     * no subscription behind.
     */
    @Test
    void theLastSocketClosingKeepsTheStreamsChannelAndTheStreamClosingDropsIt() throws Exception {
        TestClient.User requester = api1.register("node_tap_from");
        TestClient.User recipient = api1.register("node_tap_to");
        Chat chat1 = new Chat(api1);
        RedisClient client = RedisClient.create(RedisAvailable.URL);
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            String pattern = "*:user:" + recipient.id();
            Callable<Boolean> subscribed =
                    () -> !redis.sync().pubsubChannels(pattern).isEmpty();
            try (SseClient stream = SseClient.open(api2, recipient, null)) {
                await().atMost(Duration.ofSeconds(10)).until(subscribed);
                try (WsClient laptop = WsClient.connect(api2, recipient)) {
                    UUID own = chat1.group(recipient, "Mine");
                    chat1.sendOk(recipient, own, "socket up");
                    laptop.await("message.new", d -> d.toString().contains("socket up"));
                }
                // The socket was the last one: the stream alone keeps node 2 on the channel.
                await().during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(4))
                        .until(subscribed);
                UUID id = directRequest(requester, recipient);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> stream.received("request.updated").stream()
                                .anyMatch(d ->
                                        d.path("conversation_id").asString().equals(id.toString())));
            }
            // Node 2 notices the closed stream at its next heartbeat, and lets the channel go.
            await().atMost(Duration.ofSeconds(15)).until(() -> !subscribed.call());
        } finally {
            client.shutdown();
        }
    }
}
