package dev.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.TestClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Groups created and users put into groups are limited per caller (small limits here, so the test needs few
 * users; the test profile turns both off for other tests, hence a context of its own).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "parley.data-dir=target/test-data/shared",
            "parley.limits.groups-per-hour=3",
            "parley.limits.member-adds-per-hour=6"
        })
@ActiveProfiles("test")
class GroupLimitsApiTest {

    private static final String CONVERSATIONS = "/api/v1/conversations";

    @LocalServerPort
    private int port;

    private TestClient api;

    @BeforeEach
    void client() {
        api = new TestClient("http://127.0.0.1:" + port);
    }

    @Test
    void theFourthGroupInAnHourIsRefusedWithRetryAfter() {
        TestClient.User creator = api.register("creator");
        for (int i = 0; i < 3; i++) {
            api.post(CONVERSATIONS, creator.token(), group("g" + i, List.of())).expect(201);
        }
        var refused = api.post(CONVERSATIONS, creator.token(), group("g3", List.of()))
                .expectError(429, "RATE_LIMIT_EXCEEDED");
        // Three an hour: one frees every 20 minutes.
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 1200L);
        assertThat(refused.json().path("details").path("limit").asString()).isEqualTo("group_create");
        // Another user is not affected.
        api.post(CONVERSATIONS, api.register("other").token(), group("g", List.of()))
                .expect(201);
    }

    @Test
    void membersAreCountedPerAddedUserAllOrNone() {
        TestClient.User owner = api.register("owner");
        List<TestClient.User> people =
                IntStream.range(0, 8).mapToObj(i -> api.register("person")).toList();
        // Four at creation: four of the six units.
        var created = api.post(CONVERSATIONS, owner.token(), group("g", ids(people.subList(0, 4))))
                .expect(201);
        UUID group = UUID.fromString(created.json().path("conversation_id").asString());

        var refused = api.post(
                        CONVERSATIONS + "/" + group + "/participants",
                        owner.token(),
                        Map.of("user_ids", ids(people.subList(4, 7))))
                .expectError(429, "RATE_LIMIT_EXCEEDED");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.json().path("details").path("limit").asString()).isEqualTo("member_add");
        var conversation =
                api.get(CONVERSATIONS + "/" + group, owner.token()).expect(200).json();
        assertThat(conversation.path("participant_count").asLong())
                .as("none of the three was added")
                .isEqualTo(5);

        api.post(
                        CONVERSATIONS + "/" + group + "/participants",
                        owner.token(),
                        Map.of("user_ids", ids(people.subList(4, 6))))
                .expect(200);
        // Re-adding current members takes nothing.
        api.post(
                        CONVERSATIONS + "/" + group + "/participants",
                        owner.token(),
                        Map.of("user_ids", ids(people.subList(0, 2))))
                .expect(200);

        // More at once than the whole hourly allowance can never pass: a client mistake, not a wait.
        api.post(CONVERSATIONS, api.register("big").token(), group("big", ids(people.subList(0, 7))))
                .expectError(400, "VALIDATION_FAILED");
    }

    private static Map<String, Object> group(String name, List<String> members) {
        return Map.of("type", "group", "name", name, "participant_ids", members);
    }

    private static List<String> ids(List<TestClient.User> users) {
        return users.stream().map(u -> u.id().toString()).toList();
    }
}
