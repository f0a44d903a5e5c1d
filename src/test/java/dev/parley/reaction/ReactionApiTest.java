package dev.parley.reaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.Chat;
import dev.parley.support.TestClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ReactionApiTest extends ApiTest {

    private static final List<String> EIGHT = List.of("👍", "❤️", "😂", "😮", "😢", "🎉", "🔥", "👀");

    private static String reactions(UUID message) {
        return "/api/v1/messages/" + message + "/reactions";
    }

    private TestClient.Resp react(TestClient.User user, UUID message, String emoji) {
        return api.post(reactions(message), user.token(), Map.of("emoji", emoji));
    }

    private TestClient.Resp unreact(TestClient.User user, UUID message, String emoji) {
        return api.delete(
                reactions(message) + "/"
                        + URLEncoder.encode(emoji, StandardCharsets.UTF_8).replace("+", "%20"),
                user.token());
    }

    private JsonNode summaries(TestClient.User viewer, UUID message) {
        return api.get("/api/v1/messages/" + message, viewer.token())
                .expect(200)
                .json()
                .path("reactions");
    }

    @Test
    void addingIsIdempotentAndSummariesArePerViewer() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conv = chat.direct(alice, bob);
        UUID message = chat.sendOk(alice, conv, "react to me");

        var added = react(bob, message, "👍").expect(201).json();
        assertThat(added.path("reactions").get(0).path("count").asLong()).isEqualTo(1);
        react(bob, message, "👍").expect(201);
        JsonNode forAlice = summaries(alice, message);
        assertThat(forAlice.size()).isEqualTo(1);
        assertThat(forAlice.get(0).path("emoji").asString()).isEqualTo("👍");
        assertThat(forAlice.get(0).path("count").asLong()).isEqualTo(1);
        assertThat(forAlice.get(0).path("reacted_by_me").asBoolean()).isFalse();
        assertThat(summaries(bob, message).get(0).path("reacted_by_me").asBoolean())
                .isTrue();

        react(alice, message, "👍").expect(201);
        react(alice, message, "🎉").expect(201);
        JsonNode inHistory = chat.history(bob, conv).get(0).path("reactions");
        assertThat(inHistory.size()).isEqualTo(2);
        assertThat(inHistory.get(0).path("emoji").asString()).isEqualTo("👍");
        assertThat(inHistory.get(0).path("count").asLong()).isEqualTo(2);
        assertThat(inHistory.get(0).path("reacted_by_me").asBoolean()).isTrue();
        assertThat(inHistory.get(1).path("emoji").asString()).isEqualTo("🎉");
        assertThat(inHistory.get(1).path("reacted_by_me").asBoolean()).isFalse();

        unreact(bob, message, "👍").expect(204);
        unreact(bob, message, "👍").expect(204);
        JsonNode after = summaries(bob, message);
        assertThat(after.get(0).path("count").asLong()).isEqualTo(1);
        assertThat(after.get(0).path("reacted_by_me").asBoolean()).isFalse();
        unreact(alice, message, "👍").expect(204);
        unreact(alice, message, "🎉").expect(204);
        assertThat(summaries(alice, message).size()).isZero();
    }

    @Test
    void aReactionIsExactlyOneEmoji() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID message = chat.sendOk(alice, chat.direct(alice, bob), "hi");
        for (String bad : List.of("ab", "👍👍", "1", "", " ", "👍 ", "a\u0000", "#", "❤")) {
            react(bob, message, bad).expectError(400, "VALIDATION_FAILED");
        }
        api.post(reactions(message), bob.token(), Map.of()).expectError(400, "VALIDATION_FAILED");
        api.sendRaw("POST", reactions(message), bob.token(), "{\"emoji\": 1}").expectError(400, "VALIDATION_FAILED");
        unreact(bob, message, "ab").expectError(400, "VALIDATION_FAILED");

        for (String good : List.of("👨‍👩‍👧‍👦", "🇯🇵", "1️⃣", "#️⃣", "👍🏽", "❤️", "🏳️‍🌈")) {
            react(bob, message, good).expect(201);
        }
        JsonNode all = summaries(alice, message);
        List<String> emoji = new ArrayList<>();
        all.forEach(r -> emoji.add(r.path("emoji").asString()));
        assertThat(emoji).containsExactly("👨‍👩‍👧‍👦", "🇯🇵", "1️⃣", "#️⃣", "👍🏽", "❤️", "🏳️‍🌈");
        for (String good : emoji) {
            unreact(bob, message, good).expect(204);
        }
        assertThat(summaries(alice, message).size()).isZero();
    }

    @Test
    void aNinthDistinctEmojiIsRefused() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID message = chat.sendOk(alice, chat.direct(alice, bob), "popular");
        for (String e : EIGHT) {
            react(alice, message, e).expect(201);
        }
        var ninth = react(bob, message, "🙏").expectError(422, "TOO_MANY_REACTIONS");
        assertThat(ninth.json().path("details").path("limit").asInt()).isEqualTo(8);
        // Joining an emoji already there is not a new one.
        react(bob, message, "🔥").expect(201);
        assertThat(summaries(alice, message).size()).isEqualTo(8);
        unreact(alice, message, "👀").expect(204);
        react(bob, message, "🙏").expect(201);
        assertThat(summaries(alice, message).size()).isEqualTo(8);
    }

    @Test
    void concurrentDistinctEmojiNeverExceedTheLimit() throws Exception {
        TestClient.User owner = api.register("owner");
        List<TestClient.User> members = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            members.add(api.register("m"));
        }
        UUID group = chat.group(owner, "crowd", members.toArray(TestClient.User[]::new));
        UUID message = chat.sendOk(owner, group, "vote");
        List<String> twelve = new ArrayList<>(EIGHT);
        twelve.addAll(List.of("🙏", "💯", "🤔", "🚀"));
        List<Callable<TestClient.Resp>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TestClient.User user = members.get(i);
            String emoji = twelve.get(i);
            calls.add(() -> react(user, message, emoji));
        }
        List<TestClient.Resp> results = Chat.inParallel(calls);
        assertThat(results.stream().filter(r -> r.status() == 201).count()).isEqualTo(8);
        results.stream().filter(r -> r.status() != 201).forEach(r -> r.expectError(422, "TOO_MANY_REACTIONS"));
        assertThat(summaries(owner, message).size()).isEqualTo(8);
    }

    @Test
    void outsidersAndDeletedMessages() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        TestClient.User eve = api.register("eve");
        UUID message = chat.sendOk(alice, chat.direct(alice, bob), "private");
        react(eve, message, "👍").expectError(404, "MESSAGE_NOT_FOUND");
        unreact(eve, message, "👍").expectError(404, "MESSAGE_NOT_FOUND");
        react(bob, UUID.randomUUID(), "👍").expectError(404, "MESSAGE_NOT_FOUND");
        api.post(reactions(message), null, Map.of("emoji", "👍")).expectError(401, "UNAUTHORIZED");

        react(bob, message, "👍").expect(201);
        chat.block(alice, bob);
        react(bob, message, "🎉").expectError(403, "USER_BLOCKED");
        react(alice, message, "🎉").expectError(403, "USER_BLOCKED");
        api.delete("/api/v1/users/" + bob.id() + "/block", alice.token()).expect(204);
        api.delete("/api/v1/messages/" + message, alice.token()).expect(204);
        react(bob, message, "🎉").expectError(409, "CONFLICT");
        assertThat(summaries(bob, message).size()).isZero();
    }
}
