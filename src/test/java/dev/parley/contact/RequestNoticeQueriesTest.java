package dev.parley.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.Chat;
import dev.parley.support.QueryCounter;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Under the contact policy {@code requests}, a group created with many strangers costs no more statements than one
 * with a single stranger among contacts: the invitees' requests folders are counted in one statement, and each
 * invitee still hears of their own folder.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "parley.data-dir=target/test-data/shared",
            "parley.contacts.policy=requests",
            "parley.limits.requests-per-hour=1000"
        })
@ActiveProfiles("test")
class RequestNoticeQueriesTest {

    private static final int MEMBERS = 6;

    @LocalServerPort
    private int port;

    @Autowired
    private MeterRegistry registry;

    @Test
    void aGroupsInviteesFoldersAreCountedInOneStatement() {
        TestClient api = new TestClient("http://127.0.0.1:" + port);
        Chat chat = new Chat(api);
        QueryCounter queries = new QueryCounter(registry);
        TestClient.User owner = api.register("rq_owner");
        List<TestClient.User> friends = new ArrayList<>();
        List<TestClient.User> strangers = new ArrayList<>();
        for (int i = 0; i < MEMBERS - 1; i++) {
            TestClient.User friend = api.register("rq_friend");
            api.post("/api/v1/users/" + friend.id() + "/contact", owner.token(), null)
                    .expect(200);
            api.post("/api/v1/users/" + owner.id() + "/contact", friend.token(), null)
                    .expect(200);
            friends.add(friend);
        }
        for (int i = 0; i < MEMBERS; i++) {
            strangers.add(api.register("rq_stranger"));
        }
        List<TestClient.User> oneStranger = new ArrayList<>(friends);
        oneStranger.add(strangers.getFirst());

        try (WsClient last = WsClient.connect(api, strangers.getLast())) {
            UUID warm = chat.group(owner, "Warm", strangers.toArray(TestClient.User[]::new));
            last.await(
                    "request.updated", d -> d.path("conversation_id").asString().equals(warm.toString()));
            chat.group(owner, "Warm", oneStranger.toArray(TestClient.User[]::new));

            // The least of four rounds: background work can add a statement to one, a statement per invitee
            // shows in each.
            UUID[] group = new UUID[1];
            long[] least = queries.least(
                    4,
                    () -> group[0] = chat.group(owner, "Strangers", strangers.toArray(TestClient.User[]::new)),
                    () -> chat.group(owner, "Friends", oneStranger.toArray(TestClient.User[]::new)));
            assertThat(least[0]).as("statements for six strangers vs one").isEqualTo(least[1]);
            // Each invitee is still told of their own folder: here the last one, with every invitation counted.
            long invitations = 1 + 4;
            last.await(
                    "request.updated",
                    d -> d.path("conversation_id").asString().equals(group[0].toString())
                            && d.path("requests").path("count").asLong() == invitations);
        }
    }
}
