package dev.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.QueryCounter;
import dev.parley.support.TestClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The conversation list costs a constant number of statements, however many conversations it shows. */
class ConversationListQueriesTest extends ApiTest {

    @Autowired
    MeterRegistry registry;

    @Test
    void sameNumberOfQueriesForOneAndFiftyConversations() {
        QueryCounter queries = new QueryCounter(registry);

        TestClient.User single = api.register("one");
        TestClient.User peer = api.register("peer");
        UUID only = chat.direct(single, peer);
        chat.sendOk(peer, only, "hi");

        TestClient.User busy = api.register("fifty");
        for (int i = 0; i < 50; i++) {
            TestClient.User other = api.register("p" + i);
            UUID conversation = i % 2 == 0 ? chat.direct(busy, other) : chat.group(busy, "g" + i, other);
            UUID message = chat.sendOk(other, conversation, "message " + i);
            chat.sendOk(other, conversation, "second " + i);
            if (i % 3 == 0) {
                api.post("/api/v1/messages/" + message + "/reactions", busy.token(), Map.of("emoji", "🎉"))
                        .expect(201);
            }
        }

        // Warm up both paths once so that one-off work (statement preparation, caches) is not counted.
        api.get("/api/v1/conversations?limit=50", single.token()).expect(200);
        api.get("/api/v1/conversations?limit=50", busy.token()).expect(200);

        // The least of five rounds: background work can add a statement to one, an N+1 shows in each.
        JsonNode[] page = new JsonNode[1];
        long[] least = queries.least(
                5,
                () -> api.get("/api/v1/conversations?limit=50", single.token()).expect(200),
                () -> page[0] = api.get("/api/v1/conversations?limit=50", busy.token())
                        .expect(200)
                        .json());
        long forOne = least[0];
        long forFifty = least[1];

        assertThat(page[0].path("conversations").size()).isEqualTo(50);
        page[0].path("conversations").forEach(c -> {
            assertThat(c.path("unread_count").asLong()).isEqualTo(2);
            assertThat(c.path("last_message").path("content").asString()).startsWith("second");
            assertThat(c.path("participants").size()).isEqualTo(2);
        });
        assertThat(forFifty).as("statements for 50 conversations vs 1").isEqualTo(forOne);
        assertThat(forOne).isLessThanOrEqualTo(5);
    }
}
