package dev.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ParticipantApiTest extends ApiTest {

    private static String participants(UUID group) {
        return "/api/v1/conversations/" + group + "/participants";
    }

    private TestClient.Resp add(TestClient.User caller, UUID group, TestClient.User... users) {
        return api.post(
                participants(group),
                caller.token(),
                Map.of(
                        "user_ids",
                        Arrays.stream(users).map(u -> u.id().toString()).toList()));
    }

    private TestClient.Resp setRole(TestClient.User caller, UUID group, TestClient.User target, String role) {
        return api.patch(participants(group) + "/" + target.id(), caller.token(), Map.of("role", role));
    }

    private static Map<String, String> roles(JsonNode conversation) {
        Map<String, String> roles = new HashMap<>();
        conversation
                .path("participants")
                .forEach(p -> roles.put(
                        p.path("user").path("user_id").asString(),
                        p.path("role").asString()));
        return roles;
    }

    @Test
    void adminsAndOwnerAddMembersWithOneSystemMessageEach() {
        TestClient.User owner = api.register("owner");
        TestClient.User admin = api.register("admin");
        TestClient.User member = api.register("member");
        TestClient.User x = api.register("x");
        TestClient.User y = api.register("y");
        TestClient.User z = api.register("z");
        UUID group = chat.group(owner, "g", admin, member);
        setRole(owner, group, admin, "admin").expect(200);

        add(member, group, x).expectError(403, "FORBIDDEN");
        add(owner, group).expectError(400, "VALIDATION_FAILED");
        api.post(participants(group), owner.token(), Map.of()).expectError(400, "VALIDATION_FAILED");
        api.post(participants(group), owner.token(), Map.of("user_ids", List.of("nope")))
                .expectError(400, "VALIDATION_FAILED");
        api.post(
                        participants(group),
                        owner.token(),
                        Map.of("user_ids", List.of(UUID.randomUUID().toString())))
                .expectError(404, "USER_NOT_FOUND");
        assertThat(chat.conversation(owner, group).path("participants").size()).isEqualTo(3);

        var added = add(owner, group, x, y).expect(200);
        assertThat(roles(added.json()))
                .containsEntry(x.id().toString(), "member")
                .containsEntry(y.id().toString(), "member");
        add(admin, group, z).expect(200);
        List<JsonNode> messages = chat.systemMessages(member, group, "member_added");
        assertThat(messages).hasSize(3);
        assertThat(messages.stream()
                        .map(m -> m.path("metadata").path("target_id").asString()))
                .containsExactlyInAnyOrder(x.id().toString(), y.id().toString(), z.id().toString());
        assertThat(messages.getFirst().path("metadata").path("actor_id").asString())
                .isEqualTo(admin.id().toString());

        // Adding someone already in the group changes nothing and says nothing.
        add(owner, group, x).expect(200);
        assertThat(chat.systemMessages(member, group, "member_added")).hasSize(3);
        assertThat(chat.conversation(x, group).path("my_role").asString()).isEqualTo("member");

        UUID direct = chat.direct(owner, member);
        add(owner, direct, x).expectError(403, "FORBIDDEN");
    }

    @Test
    void aFormerMemberCanBeAddedAgain() {
        TestClient.User owner = api.register("owner");
        TestClient.User member = api.register("member");
        UUID group = chat.group(owner, "g", member);
        api.delete(participants(group) + "/" + member.id(), owner.token()).expect(204);
        chat.sendOk(owner, group, "while you were out");
        api.get("/api/v1/conversations/" + group, member.token()).expectError(404, "CONVERSATION_NOT_FOUND");

        add(owner, group, member).expect(200);
        JsonNode back = chat.conversation(member, group);
        assertThat(back.path("my_role").asString()).isEqualTo("member");
        assertThat(back.path("unread_count").asLong())
                .as("nothing sent before rejoining is unread")
                .isZero();
        assertThat(chat.systemMessages(owner, group, "member_added")).hasSize(1);
        chat.sendOk(member, group, "I'm back");
        assertThat(chat.unread(owner, group)).isEqualTo(1);
    }

    @Test
    void removingMembers() {
        TestClient.User owner = api.register("owner");
        TestClient.User admin = api.register("admin");
        TestClient.User admin2 = api.register("admin2");
        TestClient.User member = api.register("member");
        TestClient.User other = api.register("other");
        TestClient.User stranger = api.register("stranger");
        UUID group = chat.group(owner, "g", admin, admin2, member, other);
        setRole(owner, group, admin, "admin").expect(200);
        setRole(owner, group, admin2, "admin").expect(200);
        String path = participants(group) + "/";

        api.delete(path + other.id(), member.token()).expectError(403, "FORBIDDEN");
        api.delete(path + owner.id(), admin.token()).expectError(403, "FORBIDDEN");
        api.delete(path + admin2.id(), admin.token()).expectError(403, "FORBIDDEN");
        api.delete(path + stranger.id(), admin.token()).expectError(404, "USER_NOT_FOUND");
        api.delete(path + "not-a-uuid", admin.token()).expectError(400, "VALIDATION_FAILED");

        api.delete(path + other.id(), admin.token()).expect(204);
        List<JsonNode> removed = chat.systemMessages(owner, group, "member_removed");
        assertThat(removed).hasSize(1);
        assertThat(removed.getFirst().path("metadata").path("actor_id").asString())
                .isEqualTo(admin.id().toString());
        assertThat(removed.getFirst().path("metadata").path("target_id").asString())
                .isEqualTo(other.id().toString());
        api.get("/api/v1/conversations/" + group, other.token()).expectError(404, "CONVERSATION_NOT_FOUND");
        api.delete(path + other.id(), admin.token()).expectError(404, "USER_NOT_FOUND");

        // Anyone may remove themselves: that is leaving.
        api.delete(path + member.id(), member.token()).expect(204);
        List<JsonNode> left = chat.systemMessages(owner, group, "member_left");
        assertThat(left).hasSize(1);
        assertThat(left.getFirst().path("metadata").path("target_id").asString())
                .isEqualTo(member.id().toString());

        api.delete(path + admin2.id(), owner.token()).expect(204);
        assertThat(roles(chat.conversation(owner, group)).keySet())
                .containsExactlyInAnyOrder(owner.id().toString(), admin.id().toString());

        UUID direct = chat.direct(owner, member);
        api.delete(participants(direct) + "/" + member.id(), owner.token()).expectError(403, "FORBIDDEN");
    }

    @Test
    void onlyTheOwnerChangesRoles() {
        TestClient.User owner = api.register("owner");
        TestClient.User admin = api.register("admin");
        TestClient.User member = api.register("member");
        TestClient.User stranger = api.register("stranger");
        UUID group = chat.group(owner, "g", admin, member);

        var promoted = setRole(owner, group, admin, "admin").expect(200);
        assertThat(roles(promoted.json())).containsEntry(admin.id().toString(), "admin");
        List<JsonNode> changes = chat.systemMessages(member, group, "role_changed");
        assertThat(changes).hasSize(1);
        JsonNode meta = changes.getFirst().path("metadata");
        assertThat(meta.path("actor_id").asString()).isEqualTo(owner.id().toString());
        assertThat(meta.path("target_id").asString()).isEqualTo(admin.id().toString());
        assertThat(meta.path("role").asString()).isEqualTo("admin");

        setRole(admin, group, member, "admin").expectError(403, "FORBIDDEN");
        setRole(member, group, member, "admin").expectError(403, "FORBIDDEN");
        setRole(owner, group, member, "owner").expectError(400, "VALIDATION_FAILED");
        setRole(owner, group, member, "boss").expectError(400, "VALIDATION_FAILED");
        api.patch(participants(group) + "/" + member.id(), owner.token(), Map.of())
                .expectError(400, "VALIDATION_FAILED");
        api.sendRaw("PATCH", participants(group) + "/" + member.id(), owner.token(), "{\"role\": true}")
                .expectError(400, "VALIDATION_FAILED");
        setRole(owner, group, stranger, "admin").expectError(404, "USER_NOT_FOUND");
        setRole(owner, group, owner, "member").expectError(403, "FORBIDDEN");

        setRole(owner, group, admin, "member").expect(200);
        assertThat(chat.conversation(admin, group).path("my_role").asString()).isEqualTo("member");
        assertThat(chat.systemMessages(member, group, "role_changed")).hasSize(2);
        // The admin it was is now a plain member and lost the power to add people.
        add(admin, group, stranger).expectError(403, "FORBIDDEN");

        UUID direct = chat.direct(owner, member);
        setRole(owner, direct, member, "admin").expectError(403, "FORBIDDEN");
    }

    @Test
    void systemMessagesCannotBeDeletedEvenByTheOwner() {
        TestClient.User owner = api.register("sysdel");
        TestClient.User member = api.register("sysdel");
        UUID group = chat.group(owner, "history stays", member);
        api.post(
                        "/api/v1/conversations/" + group + "/participants",
                        owner.token(),
                        Map.of("user_ids", List.of(api.register("sysdel").id().toString())))
                .expect(200);
        String systemId = chat.systemMessages(owner, group, "member_added")
                .getFirst()
                .path("message_id")
                .asString();
        api.delete("/api/v1/messages/" + systemId, owner.token()).expectError(403, "FORBIDDEN");
        api.delete("/api/v1/messages/" + systemId, member.token()).expectError(403, "FORBIDDEN");
    }
}
