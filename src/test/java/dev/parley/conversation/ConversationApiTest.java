package dev.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.ApiTest;
import dev.parley.support.Chat;
import dev.parley.support.TestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ConversationApiTest extends ApiTest {

    private static final String CONVERSATIONS = "/api/v1/conversations";

    private static Map<String, Object> direct(UUID... others) {
        return Map.of("type", "direct", "participant_ids", ids(others));
    }

    private static List<String> ids(UUID... users) {
        return Arrays.stream(users).map(UUID::toString).toList();
    }

    @Test
    void directConversationNeedsExactlyOneOtherExistingUser() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        TestClient.User carol = api.register("carol");

        api.post(CONVERSATIONS, alice.token(), direct(alice.id())).expectError(400, "VALIDATION_FAILED");
        api.post(CONVERSATIONS, alice.token(), direct()).expectError(400, "VALIDATION_FAILED");
        api.post(CONVERSATIONS, alice.token(), direct(bob.id(), carol.id())).expectError(400, "VALIDATION_FAILED");
        api.post(CONVERSATIONS, alice.token(), direct(UUID.randomUUID())).expectError(404, "USER_NOT_FOUND");
        api.post(CONVERSATIONS, alice.token(), Map.of("type", "direct")).expectError(400, "VALIDATION_FAILED");
        api.post(CONVERSATIONS, alice.token(), Map.of("type", "channel", "participant_ids", ids(bob.id())))
                .expectError(400, "VALIDATION_FAILED");
        api.post(CONVERSATIONS, null, direct(bob.id())).expectError(401, "UNAUTHORIZED");
        api.sendRaw("POST", CONVERSATIONS, alice.token(), "{\"type\": \"direct\",")
                .expectError(400, "VALIDATION_FAILED");
        var wrongType = api.sendRaw(
                        "POST",
                        CONVERSATIONS,
                        alice.token(),
                        "{\"type\": \"direct\", \"participant_ids\": \"" + bob.id() + "\"}")
                .expectError(400, "VALIDATION_FAILED");
        assertThat(wrongType.json().path("details").path("field").asString()).isEqualTo("participant_ids");

        var created = api.post(CONVERSATIONS, alice.token(), direct(bob.id())).expect(201);
        JsonNode conv = created.json();
        assertThat(conv.path("type").asString()).isEqualTo("direct");
        assertThat(conv.path("my_role").asString()).isEqualTo("member");
        assertThat(conv.path("unread_count").asLong()).isZero();
        assertThat(conv.path("is_muted").asBoolean()).isFalse();
        assertThat(conv.path("last_message").isNull()).isTrue();
        assertThat(conv.path("created_by").asString()).isEqualTo(alice.id().toString());
        assertThat(conv.path("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        Set<String> members = new LinkedHashSet<>();
        conv.path("participants")
                .forEach(p -> members.add(p.path("user").path("user_id").asString()));
        assertThat(members)
                .containsExactlyInAnyOrder(alice.id().toString(), bob.id().toString());

        UUID id = created.id("conversation_id");
        assertThat(api.post(CONVERSATIONS, alice.token(), direct(bob.id()))
                        .expect(200)
                        .id("conversation_id"))
                .isEqualTo(id);
        assertThat(api.post(CONVERSATIONS, bob.token(), direct(alice.id()))
                        .expect(200)
                        .id("conversation_id"))
                .isEqualTo(id);
    }

    @Test
    void concurrentDirectCreationFromBothSidesMakesOneConversation() throws Exception {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        List<Callable<TestClient.Resp>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TestClient.User from = i % 2 == 0 ? alice : bob;
            TestClient.User to = i % 2 == 0 ? bob : alice;
            calls.add(() -> api.post(CONVERSATIONS, from.token(), direct(to.id())));
        }
        List<TestClient.Resp> results = Chat.inParallel(calls);
        assertThat(results.stream().filter(r -> r.status() == 201).count()).isEqualTo(1);
        assertThat(results.stream().filter(r -> r.status() == 200).count()).isEqualTo(5);
        assertThat(results.stream()
                        .map(r -> r.text("conversation_id"))
                        .distinct()
                        .count())
                .isEqualTo(1);
        results.forEach(r -> assertThat(r.json().path("participants").size()).isEqualTo(2));
    }

    @Test
    void aBlockEitherWayForbidsADirectConversation() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        TestClient.User carol = api.register("carol");
        chat.block(bob, alice);
        api.post(CONVERSATIONS, alice.token(), direct(bob.id())).expectError(403, "USER_BLOCKED");
        api.post(CONVERSATIONS, bob.token(), direct(alice.id())).expectError(403, "USER_BLOCKED");
        chat.block(alice, carol);
        api.post(CONVERSATIONS, alice.token(), direct(carol.id())).expectError(403, "USER_BLOCKED");
        api.post(CONVERSATIONS, carol.token(), direct(alice.id())).expectError(403, "USER_BLOCKED");
    }

    @Test
    void groupCreationMakesTheCreatorOwner() {
        TestClient.User owner = api.register("owner");
        TestClient.User bob = api.register("bob");
        TestClient.User carol = api.register("carol");

        api.post(CONVERSATIONS, owner.token(), Map.of("type", "group", "participant_ids", ids(bob.id())))
                .expectError(400, "VALIDATION_FAILED");
        api.post(CONVERSATIONS, owner.token(), Map.of("type", "group", "name", "   ", "participant_ids", ids(bob.id())))
                .expectError(400, "VALIDATION_FAILED");
        var unknown = api.post(
                        CONVERSATIONS,
                        owner.token(),
                        Map.of("type", "group", "name", "g", "participant_ids", ids(bob.id(), UUID.randomUUID())))
                .expectError(404, "USER_NOT_FOUND");
        assertThat(unknown.raw()).doesNotContain(bob.id().toString());
        api.post(
                        CONVERSATIONS,
                        owner.token(),
                        Map.of(
                                "type",
                                "group",
                                "name",
                                "g",
                                "photo_url",
                                "not a url",
                                "participant_ids",
                                ids(bob.id())))
                .expectError(400, "VALIDATION_FAILED");

        api.post(
                        CONVERSATIONS,
                        owner.token(),
                        Map.of("type", "group", "name", "a\u0000b", "participant_ids", ids(bob.id())))
                .expectError(400, "VALIDATION_FAILED");
        api.post(
                        CONVERSATIONS,
                        owner.token(),
                        Map.of(
                                "type",
                                "group",
                                "name",
                                "g",
                                "photo_url",
                                "https://example.com/a\u0000b.png",
                                "participant_ids",
                                ids(bob.id())))
                .expectError(400, "VALIDATION_FAILED");

        var created = api.post(
                        CONVERSATIONS,
                        owner.token(),
                        Map.of(
                                "type",
                                "group",
                                "name",
                                "Trip",
                                "photo_url",
                                "https://example.com/p.png",
                                "participant_ids",
                                ids(bob.id(), carol.id())))
                .expect(201);
        JsonNode conv = created.json();
        assertThat(conv.path("type").asString()).isEqualTo("group");
        assertThat(conv.path("name").asString()).isEqualTo("Trip");
        assertThat(conv.path("photo_url").asString()).isEqualTo("https://example.com/p.png");
        assertThat(conv.path("my_role").asString()).isEqualTo("owner");
        Map<String, String> roles = new HashMap<>();
        conv.path("participants")
                .forEach(p -> roles.put(
                        p.path("user").path("user_id").asString(),
                        p.path("role").asString()));
        assertThat(roles)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        owner.id().toString(),
                        "owner",
                        bob.id().toString(),
                        "member",
                        carol.id().toString(),
                        "member"));
        assertThat(chat.conversation(bob, created.id("conversation_id"))
                        .path("my_role")
                        .asString())
                .isEqualTo("member");
        assertThat(chat.unread(bob, created.id("conversation_id")))
                .as("system messages are not unread")
                .isZero();
    }

    @Test
    void getIsForActiveParticipantsOnly() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        TestClient.User eve = api.register("eve");
        UUID conv = chat.direct(alice, bob);
        assertThat(chat.conversation(bob, conv).path("conversation_id").asString())
                .isEqualTo(conv.toString());
        api.get(CONVERSATIONS + "/" + conv, eve.token()).expectError(404, "CONVERSATION_NOT_FOUND");
        api.get(CONVERSATIONS + "/" + UUID.randomUUID(), alice.token()).expectError(404, "CONVERSATION_NOT_FOUND");
        api.get(CONVERSATIONS + "/" + conv, null).expectError(401, "UNAUTHORIZED");
        api.get(CONVERSATIONS + "/not-a-uuid", alice.token()).expectError(400, "VALIDATION_FAILED");
    }

    @Test
    void listIsNewestActivityFirstAndPagesWithoutDuplicatesOrGaps() {
        TestClient.User me = api.register("lister");
        List<UUID> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            TestClient.User other = api.register("peer");
            created.add(chat.direct(me, other));
        }
        // Activity in an order unlike creation: the newest message decides.
        List<UUID> expected = new ArrayList<>();
        for (int i : new int[] {3, 0, 6, 1}) {
            chat.sendOk(me, created.get(i), "bump " + i);
            expected.addFirst(created.get(i));
        }
        List<UUID> untouched = new ArrayList<>(created);
        untouched.removeAll(expected);
        var all = api.get(CONVERSATIONS + "?limit=100", me.token()).expect(200);
        assertThat(all.json().path("has_more").asBoolean()).isFalse();
        List<String> order = chat.listIds(all);
        assertThat(order).hasSize(7);
        assertThat(order.subList(0, 4))
                .containsExactlyElementsOf(expected.stream().map(UUID::toString).toList());
        assertThat(all.json()
                        .path("conversations")
                        .get(0)
                        .path("last_message")
                        .path("content")
                        .asString())
                .isEqualTo("bump 1");

        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var page = api.get(CONVERSATIONS + "?limit=3" + (cursor == null ? "" : "&before=" + cursor), me.token())
                    .expect(200);
            List<String> ids = chat.listIds(page);
            assertThat(ids.size()).isLessThanOrEqualTo(3);
            paged.addAll(ids);
            boolean more = page.json().path("has_more").asBoolean();
            cursor = more ? page.json().path("next_cursor").asString() : null;
            if (more) {
                assertThat(cursor).isNotBlank();
            }
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(paged).containsExactlyElementsOf(order);
    }

    @Test
    void listBeforeAcceptsAnRfc3339TimeAndIsStrict() {
        TestClient.User me = api.register("lister");
        List<UUID> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            UUID conv = chat.direct(me, api.register("peer"));
            created.add(conv);
            chat.sendOk(me, conv, "m" + i);
        }
        JsonNode rows = api.get(CONVERSATIONS, me.token()).expect(200).json().path("conversations");
        String newestTime = rows.get(0).path("last_message_at").asString();
        String middleTime = rows.get(1).path("last_message_at").asString();
        var older = api.get(CONVERSATIONS + "?before=" + newestTime, me.token()).expect(200);
        assertThat(chat.listIds(older))
                .doesNotContain(rows.get(0).path("conversation_id").asString());
        assertThat(Instant.parse(middleTime)).isBefore(Instant.parse(newestTime).plusNanos(1));
        for (JsonNode row : older.json().path("conversations")) {
            assertThat(Instant.parse(row.path("last_message_at").asString())).isBefore(Instant.parse(newestTime));
        }
        var none = api.get(CONVERSATIONS + "?before=2000-01-01T00:00:00.000Z", me.token())
                .expect(200);
        assertThat(none.json().path("conversations").size()).isZero();
        assertThat(none.json().path("has_more").asBoolean()).isFalse();

        api.get(CONVERSATIONS + "?before=yesterday", me.token()).expectError(400, "VALIDATION_FAILED");
        api.get(CONVERSATIONS + "?limit=0", me.token()).expectError(400, "VALIDATION_FAILED");
        api.get(CONVERSATIONS + "?limit=101", me.token()).expectError(400, "VALIDATION_FAILED");
        api.get(CONVERSATIONS + "?limit=abc", me.token()).expectError(400, "VALIDATION_FAILED");
        api.get(CONVERSATIONS + "?limit=100", me.token()).expect(200);
        api.get(CONVERSATIONS + "?limit=1", me.token()).expect(200);
        api.get(CONVERSATIONS, null).expectError(401, "UNAUTHORIZED");
    }

    @Test
    void renameAndPhotoChangeAreForAdminsAndWriteSystemMessages() {
        TestClient.User owner = api.register("owner");
        TestClient.User admin = api.register("admin");
        TestClient.User member = api.register("member");
        UUID group = chat.group(owner, "Before", admin, member);
        api.patch(CONVERSATIONS + "/" + group + "/participants/" + admin.id(), owner.token(), Map.of("role", "admin"))
                .expect(200);

        api.patch(CONVERSATIONS + "/" + group, member.token(), Map.of("name", "Mine"))
                .expectError(403, "FORBIDDEN");
        api.patch(CONVERSATIONS + "/" + group, owner.token(), Map.of("name", "  "))
                .expectError(400, "VALIDATION_FAILED");
        api.patch(CONVERSATIONS + "/" + group, owner.token(), Map.of("photo_url", "nope"))
                .expectError(400, "VALIDATION_FAILED");
        api.patch(CONVERSATIONS + "/" + group, owner.token(), Map.of("name", "x\u0000"))
                .expectError(400, "VALIDATION_FAILED");
        api.patch(CONVERSATIONS + "/" + group, owner.token(), Map.of("photo_url", "https://example.com/\u0000"))
                .expectError(400, "VALIDATION_FAILED");
        api.sendRaw("PATCH", CONVERSATIONS + "/" + group, owner.token(), "{\"name\": 5}")
                .expectError(400, "VALIDATION_FAILED");

        var renamed = api.patch(CONVERSATIONS + "/" + group, owner.token(), Map.of("name", "After"))
                .expect(200);
        assertThat(renamed.json().path("name").asString()).isEqualTo("After");
        List<JsonNode> renames = chat.systemMessages(member, group, "group_renamed");
        assertThat(renames).hasSize(1);
        JsonNode meta = renames.getFirst().path("metadata");
        assertThat(meta.path("actor_id").asString()).isEqualTo(owner.id().toString());
        assertThat(meta.has("target_id")).isTrue();
        assertThat(meta.path("name").asString()).isEqualTo("After");

        var photo = api.patch(
                        CONVERSATIONS + "/" + group, admin.token(), Map.of("photo_url", "https://example.com/new.png"))
                .expect(200);
        assertThat(photo.json().path("photo_url").asString()).isEqualTo("https://example.com/new.png");
        List<JsonNode> photos = chat.systemMessages(member, group, "group_photo_changed");
        assertThat(photos).hasSize(1);
        assertThat(photos.getFirst().path("metadata").path("actor_id").asString())
                .isEqualTo(admin.id().toString());
        assertThat(chat.conversation(member, group).path("name").asString()).isEqualTo("After");

        TestClient.User alice = api.register("alice");
        UUID direct = chat.direct(alice, owner);
        api.patch(CONVERSATIONS + "/" + direct, alice.token(), Map.of("name", "x"))
                .expectError(403, "FORBIDDEN");
    }

    @Test
    void leavingAGroupPassesOwnershipToAnAdmin() {
        TestClient.User owner = api.register("owner");
        TestClient.User first = api.register("first");
        TestClient.User admin = api.register("admin");
        UUID group = chat.group(owner, "g", first, admin);
        UUID message = chat.sendOk(owner, group, "before leaving");
        api.patch(CONVERSATIONS + "/" + group + "/participants/" + admin.id(), owner.token(), Map.of("role", "admin"))
                .expect(200);

        api.delete(CONVERSATIONS + "/" + group, owner.token()).expect(204);
        assertThat(chat.conversation(admin, group).path("my_role").asString()).isEqualTo("owner");
        assertThat(chat.conversation(first, group).path("my_role").asString()).isEqualTo("member");
        List<JsonNode> left = chat.systemMessages(first, group, "member_left");
        assertThat(left).hasSize(1);
        assertThat(left.getFirst().path("metadata").path("actor_id").asString())
                .isEqualTo(owner.id().toString());
        assertThat(left.getFirst().path("metadata").path("target_id").asString())
                .isEqualTo(owner.id().toString());

        // The one who left sees nothing of the group any more.
        api.get(CONVERSATIONS + "/" + group, owner.token()).expectError(404, "CONVERSATION_NOT_FOUND");
        api.get(CONVERSATIONS + "/" + group + "/messages", owner.token()).expectError(404, "CONVERSATION_NOT_FOUND");
        api.get("/api/v1/messages/" + message, owner.token()).expectError(404, "MESSAGE_NOT_FOUND");
        chat.send(owner, group, "still here?").expectError(404, "CONVERSATION_NOT_FOUND");
        api.delete(CONVERSATIONS + "/" + group, owner.token()).expectError(404, "CONVERSATION_NOT_FOUND");
        assertThat(chat.listIds(api.get(CONVERSATIONS, owner.token()).expect(200)))
                .doesNotContain(group.toString());
        assertThat(chat.conversation(admin, group).path("participants").size()).isEqualTo(2);
    }

    @Test
    void leavingOwnerWithoutAdminsPassesOwnershipToTheOldestMember() {
        TestClient.User owner = api.register("owner");
        TestClient.User oldest = api.register("oldest");
        TestClient.User newer = api.register("newer");
        UUID group = chat.group(owner, "g", oldest);
        api.post(CONVERSATIONS + "/" + group + "/participants", owner.token(), Map.of("user_ids", List.of(newer.id())))
                .expect(200);
        api.delete(CONVERSATIONS + "/" + group, owner.token()).expect(204);
        assertThat(chat.conversation(oldest, group).path("my_role").asString()).isEqualTo("owner");
        assertThat(chat.conversation(newer, group).path("my_role").asString()).isEqualTo("member");
        // A plain member leaving changes nobody's role.
        api.delete(CONVERSATIONS + "/" + group, newer.token()).expect(204);
        assertThat(chat.conversation(oldest, group).path("participants").size()).isEqualTo(1);
    }

    @Test
    void deletingADirectConversationHidesItUntilTheNextMessage() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conv = chat.direct(alice, bob);
        chat.sendOk(bob, conv, "one");
        api.delete(CONVERSATIONS + "/" + conv, alice.token()).expect(204);
        assertThat(chat.listIds(api.get(CONVERSATIONS, alice.token()).expect(200)))
                .doesNotContain(conv.toString());
        assertThat(chat.listIds(api.get(CONVERSATIONS, bob.token()).expect(200)))
                .contains(conv.toString());

        chat.sendOk(bob, conv, "two");
        var list = api.get(CONVERSATIONS, alice.token()).expect(200);
        assertThat(chat.listIds(list)).contains(conv.toString());
        assertThat(chat.history(alice, conv).size()).isEqualTo(2);

        // Hidden again, and creating the pair's conversation again brings it back at once.
        api.delete(CONVERSATIONS + "/" + conv, alice.token()).expect(204);
        assertThat(chat.listIds(api.get(CONVERSATIONS, alice.token()).expect(200)))
                .doesNotContain(conv.toString());
        assertThat(api.post(CONVERSATIONS, alice.token(), direct(bob.id()))
                        .expect(200)
                        .id("conversation_id"))
                .isEqualTo(conv);
        assertThat(chat.listIds(api.get(CONVERSATIONS, alice.token()).expect(200)))
                .contains(conv.toString());
    }

    @Test
    void muteSetsAndExpires() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conv = chat.direct(alice, bob);
        String mute = CONVERSATIONS + "/" + conv + "/mute";

        assertThat(api.put(mute, alice.token(), Map.of("muted", true))
                        .expect(200)
                        .json()
                        .path("is_muted")
                        .asBoolean())
                .isTrue();
        assertThat(chat.conversation(alice, conv).path("is_muted").asBoolean()).isTrue();
        assertThat(chat.conversation(bob, conv).path("is_muted").asBoolean()).isFalse();
        assertThat(api.put(mute, alice.token(), Map.of("muted", false))
                        .expect(200)
                        .json()
                        .path("is_muted")
                        .asBoolean())
                .isFalse();

        api.put(mute, alice.token(), Map.of("muted", true, "until", "2001-01-01T00:00:00.000Z"))
                .expectError(400, "VALIDATION_FAILED");
        api.put(
                        mute,
                        alice.token(),
                        Map.of("until", Instant.now().plusSeconds(60).toString()))
                .expectError(400, "VALIDATION_FAILED");
        api.put(mute, alice.token(), Map.of("muted", true, "until", "soon")).expectError(400, "VALIDATION_FAILED");
        api.put(mute, alice.token(), Map.of("muted", "yes")).expectError(400, "VALIDATION_FAILED");

        Instant until = Instant.now().plusMillis(1500);
        assertThat(api.put(mute, alice.token(), Map.of("muted", true, "until", until.toString()))
                        .expect(200)
                        .json()
                        .path("is_muted")
                        .asBoolean())
                .isTrue();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !chat.conversation(alice, conv).path("is_muted").asBoolean());
    }

    @Test
    void readAllClearsUnread() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conv = chat.direct(alice, bob);
        for (int i = 0; i < 4; i++) {
            chat.sendOk(bob, conv, "m" + i);
        }
        assertThat(chat.unread(alice, conv)).isEqualTo(4);
        api.put(CONVERSATIONS + "/" + conv + "/read-all", alice.token(), null).expect(204);
        assertThat(chat.unread(alice, conv)).isZero();
        api.put(CONVERSATIONS + "/" + conv + "/read-all", alice.token(), null).expect(204);
        chat.sendOk(bob, conv, "again");
        assertThat(chat.unread(alice, conv)).isEqualTo(1);
    }

    @Test
    void aNonParticipantGetsConversationNotFoundEverywhere() {
        TestClient.User owner = api.register("owner");
        TestClient.User member = api.register("member");
        TestClient.User eve = api.register("eve");
        UUID group = chat.group(owner, "secret", member);
        String code = "CONVERSATION_NOT_FOUND";
        for (UUID conv : List.of(group, UUID.randomUUID())) {
            String path = CONVERSATIONS + "/" + conv;
            api.get(path, eve.token()).expectError(404, code);
            api.patch(path, eve.token(), Map.of("name", "mine")).expectError(404, code);
            api.delete(path, eve.token()).expectError(404, code);
            api.post(path + "/participants", eve.token(), Map.of("user_ids", List.of(eve.id())))
                    .expectError(404, code);
            api.delete(path + "/participants/" + member.id(), eve.token()).expectError(404, code);
            api.delete(path + "/participants/" + eve.id(), eve.token()).expectError(404, code);
            api.patch(path + "/participants/" + member.id(), eve.token(), Map.of("role", "admin"))
                    .expectError(404, code);
            api.put(path + "/mute", eve.token(), Map.of("muted", true)).expectError(404, code);
            api.put(path + "/read-all", eve.token(), null).expectError(404, code);
            chat.send(eve, conv, "hi").expectError(404, code);
            api.get(path + "/messages", eve.token()).expectError(404, code);
            api.get(path + "/messages/search?q=secret", eve.token()).expectError(404, code);
        }
        assertThat(chat.conversation(owner, group).path("name").asString()).isEqualTo("secret");
    }

    @Test
    void timesOutsideWhatTheDatabaseHoldsAreRejectedNot500() {
        TestClient.User alice = api.register("range");
        TestClient.User bob = api.register("range");
        UUID conversation = chat.direct(alice, bob);
        api.put(
                        "/api/v1/conversations/" + conversation + "/mute",
                        alice.token(),
                        Map.of("muted", true, "until", "+300000-01-01T00:00:00Z"))
                .expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/conversations?before=%2B300000-01-01T00:00:00Z", alice.token())
                .expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/messages/search?q=x&cursor=9223372036854775807_" + UUID.randomUUID() + "_1", alice.token())
                .expectError(400, "VALIDATION_FAILED");
        api.post(
                        "/api/v1/conversations",
                        alice.token(),
                        Map.of(
                                "type",
                                "group",
                                "name",
                                "g",
                                "photo_url",
                                "file:///etc/passwd",
                                "participant_ids",
                                List.of()))
                .expectError(400, "VALIDATION_FAILED");
    }
}
