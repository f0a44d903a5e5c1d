package dev.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A block cannot be walked around through groups, and nobody can make another user's conversation list grow
 * without bound by putting them into big groups: rows carry a bounded participant preview.
 */
class GroupAbuseTest extends ApiTest {

    private static final String CONVERSATIONS = "/api/v1/conversations";

    @Test
    void aUserWhoBlockedYouCannotBePutIntoANewGroup() {
        TestClient.User attacker = api.register("attacker");
        TestClient.User victim = api.register("victim");
        TestClient.User bystander = api.register("bystander");
        chat.block(victim, attacker);

        var refused = api.post(
                        CONVERSATIONS,
                        attacker.token(),
                        Map.of(
                                "type",
                                "group",
                                "name",
                                "trap",
                                "participant_ids",
                                List.of(bystander.id().toString(), victim.id().toString())))
                .expectError(403, "USER_BLOCKED");
        assertThat(refused.json().path("details").path("user_ids").toString())
                .contains(victim.id().toString())
                .doesNotContain(bystander.id().toString());
        // Nothing was created: the victim's list and the bystander's are empty.
        assertThat(chat.listIds(api.get(CONVERSATIONS, victim.token()).expect(200)))
                .isEmpty();
        assertThat(chat.listIds(api.get(CONVERSATIONS, bystander.token()).expect(200)))
                .isEmpty();
    }

    @Test
    void aUserWhoBlockedYouCannotBeAddedToAGroupAndNobodyElseInTheRequestIsAdded() {
        TestClient.User attacker = api.register("attacker");
        TestClient.User victim = api.register("victim");
        TestClient.User friend = api.register("friend");
        UUID group = chat.group(attacker, "innocent");
        chat.block(victim, attacker);

        api.post(
                        CONVERSATIONS + "/" + group + "/participants",
                        attacker.token(),
                        Map.of(
                                "user_ids",
                                List.of(friend.id().toString(), victim.id().toString())))
                .expectError(403, "USER_BLOCKED");
        assertThat(chat.conversation(attacker, group).path("participant_count").asLong())
                .isEqualTo(1);
        api.get(CONVERSATIONS + "/" + group, victim.token()).expectError(404, "CONVERSATION_NOT_FOUND");
        api.post(
                        CONVERSATIONS + "/" + group + "/messages",
                        attacker.token(),
                        Map.of("type", "text", "content", "hello"))
                .expect(201);
        assertThat(chat.listIds(api.get(CONVERSATIONS, victim.token()).expect(200)))
                .isEmpty();
    }

    @Test
    void aUserYouBlockedCannotBePutIntoYourGroupEither() {
        // Decided as for direct conversations: a block either way refuses; unblock first.
        TestClient.User owner = api.register("owner");
        TestClient.User pest = api.register("pest");
        chat.block(owner, pest);
        api.post(
                        CONVERSATIONS,
                        owner.token(),
                        Map.of(
                                "type",
                                "group",
                                "name",
                                "g",
                                "participant_ids",
                                List.of(pest.id().toString())))
                .expectError(403, "USER_BLOCKED");
        UUID group = chat.group(owner, "g");
        api.post(
                        CONVERSATIONS + "/" + group + "/participants",
                        owner.token(),
                        Map.of("user_ids", List.of(pest.id().toString())))
                .expectError(403, "USER_BLOCKED");

        api.delete("/api/v1/users/" + pest.id() + "/block", owner.token()).expect(204);
        api.post(
                        CONVERSATIONS + "/" + group + "/participants",
                        owner.token(),
                        Map.of("user_ids", List.of(pest.id().toString())))
                .expect(200);
    }

    @Test
    void aVictimInManyBigGroupsGetsListRowsOfBoundedSize() {
        TestClient.User attacker = api.register("attacker");
        TestClient.User victim = api.register("victim");
        List<String> socks = IntStream.range(0, 40)
                .mapToObj(i -> api.register("sock").id().toString())
                .toList();
        List<String> members = new ArrayList<>(socks);
        members.add(victim.id().toString());
        int groups = 25;
        for (int i = 0; i < groups; i++) {
            api.post(
                            CONVERSATIONS,
                            attacker.token(),
                            Map.of("type", "group", "name", "spam " + i, "participant_ids", members))
                    .expect(201);
        }

        var page = api.get(CONVERSATIONS + "?limit=100", victim.token()).expect(200);
        JsonNode rows = page.json().path("conversations");
        assertThat(rows.size()).isEqualTo(groups);
        for (JsonNode row : rows) {
            assertThat(row.path("participants").size()).isEqualTo(ConversationView.PARTICIPANT_PREVIEW);
            assertThat(row.path("participant_count").asLong()).isEqualTo(42);
        }
        // Every row embedding all 42 members took about 10 KB; a preview keeps each row near 3 KB.
        assertThat(page.raw().length()).as("bytes of the list").isLessThan(groups * 4_096);

        UUID one = UUID.fromString(rows.get(0).path("conversation_id").asString());
        JsonNode single = chat.conversation(victim, one);
        assertThat(single.path("participants").size()).isEqualTo(ConversationView.PARTICIPANT_PREVIEW);
        assertThat(single.path("participant_count").asLong()).isEqualTo(42);
    }

    @Test
    void theWholeMembershipIsPagedInJoinOrderForParticipantsOnly() {
        TestClient.User owner = api.register("owner");
        List<TestClient.User> members =
                IntStream.range(0, 13).mapToObj(i -> api.register("member")).toList();
        UUID group = chat.group(owner, "paged", members.subList(0, 6).toArray(TestClient.User[]::new));
        for (TestClient.User late : members.subList(6, 13)) {
            api.post(
                            CONVERSATIONS + "/" + group + "/participants",
                            owner.token(),
                            Map.of("user_ids", List.of(late.id().toString())))
                    .expect(200);
        }
        JsonNode preview = chat.conversation(owner, group);
        assertThat(preview.path("participant_count").asLong()).isEqualTo(14);
        assertThat(preview.path("participants").size()).isEqualTo(ConversationView.PARTICIPANT_PREVIEW);

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = api.get(
                            CONVERSATIONS + "/" + group + "/participants?limit=5"
                                    + (cursor == null ? "" : "&cursor=" + cursor),
                            members.get(12).token())
                    .expect(200)
                    .json();
            page.path("participants")
                    .forEach(p -> seen.add(p.path("user").path("user_id").asString()));
            cursor =
                    page.path("has_more").asBoolean() ? page.path("next_cursor").asString() : null;
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(14).doesNotHaveDuplicates();
        Set<String> expected =
                new HashSet<>(members.stream().map(m -> m.id().toString()).toList());
        expected.add(owner.id().toString());
        assertThat(new HashSet<>(seen)).isEqualTo(expected);
        // Join order: the seven added one by one come last, in the order they were added.
        assertThat(seen.subList(7, 14))
                .isEqualTo(members.subList(6, 13).stream()
                        .map(m -> m.id().toString())
                        .toList());

        TestClient.User stranger = api.register("stranger");
        api.get(CONVERSATIONS + "/" + group + "/participants", stranger.token())
                .expectError(404, "CONVERSATION_NOT_FOUND");
        api.get(CONVERSATIONS + "/" + UUID.randomUUID() + "/participants", owner.token())
                .expectError(404, "CONVERSATION_NOT_FOUND");
        api.get(CONVERSATIONS + "/" + group + "/participants?limit=101", owner.token())
                .expectError(400, "VALIDATION_FAILED");
        api.get(CONVERSATIONS + "/" + group + "/participants?cursor=nonsense", owner.token())
                .expectError(400, "VALIDATION_FAILED");
    }
}
