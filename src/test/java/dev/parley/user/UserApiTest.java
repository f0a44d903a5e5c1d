package dev.parley.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class UserApiTest extends ApiTest {

    @Test
    void meShowsTheUserObject() {
        TestClient.User user = api.register("me");
        JsonNode me = api.get("/api/v1/users/me", user.token()).expect(200).json();
        assertThat(me.path("user_id").asString()).isEqualTo(user.id().toString());
        assertThat(me.path("username").asString()).isEqualTo(user.username());
        assertThat(me.path("display_name").asString()).isEqualTo("me person");
        assertThat(me.has("profile_photo_url")).isTrue();
        assertThat(me.path("profile_photo_url").isNull()).isTrue();
        api.get("/api/v1/users/me", null).expectError(401, "UNAUTHORIZED");
    }

    @Test
    void patchMeUpdatesOnlyTheFieldsSentAndAnEmptyPhotoClearsIt() {
        TestClient.User user = api.register("patch");
        JsonNode renamed = api.patch("/api/v1/users/me", user.token(), Map.of("display_name", "  New Name "))
                .expect(200)
                .json();
        assertThat(renamed.path("display_name").asString()).isEqualTo("New Name");
        assertThat(renamed.path("profile_photo_url").isNull()).isTrue();

        JsonNode withPhoto = api.patch(
                        "/api/v1/users/me", user.token(), Map.of("profile_photo_url", "https://img.example/p.png"))
                .expect(200)
                .json();
        assertThat(withPhoto.path("profile_photo_url").asString()).isEqualTo("https://img.example/p.png");
        assertThat(withPhoto.path("display_name").asString()).isEqualTo("New Name");

        // An empty body and explicit nulls change nothing.
        api.patch("/api/v1/users/me", user.token(), Map.of()).expect(200);
        Map<String, Object> nulls = new HashMap<>();
        nulls.put("display_name", null);
        nulls.put("profile_photo_url", null);
        JsonNode unchanged =
                api.patch("/api/v1/users/me", user.token(), nulls).expect(200).json();
        assertThat(unchanged.path("display_name").asString()).isEqualTo("New Name");
        assertThat(unchanged.path("profile_photo_url").asString()).isEqualTo("https://img.example/p.png");

        JsonNode cleared = api.patch("/api/v1/users/me", user.token(), Map.of("profile_photo_url", ""))
                .expect(200)
                .json();
        assertThat(cleared.path("profile_photo_url").isNull()).isTrue();
        JsonNode me = api.get("/api/v1/users/me", user.token()).expect(200).json();
        assertThat(me.path("profile_photo_url").isNull()).isTrue();
        assertThat(me.path("display_name").asString()).isEqualTo("New Name");
    }

    @Test
    void patchMeRejectsInvalidFieldsNamingTheField() {
        TestClient.User user = api.register("inval");
        expectInvalid(user, Map.of("display_name", ""), "display_name");
        expectInvalid(user, Map.of("display_name", "   "), "display_name");
        expectInvalid(user, Map.of("display_name", "x".repeat(65)), "display_name");
        expectInvalid(user, Map.of("profile_photo_url", "not a url"), "profile_photo_url");
        expectInvalid(user, Map.of("profile_photo_url", "javascript:alert(1)"), "profile_photo_url");
        expectInvalid(user, Map.of("profile_photo_url", "file:///etc/passwd"), "profile_photo_url");
        expectInvalid(
                user, Map.of("profile_photo_url", "https://img.example/" + "a".repeat(2048)), "profile_photo_url");
        var wrongType = api.sendRaw("PATCH", "/api/v1/users/me", user.token(), "{\"display_name\": {\"a\": 1}}")
                .expectError(400, "VALIDATION_FAILED");
        assertThat(wrongType.json().path("details").path("field").asString()).isEqualTo("display_name");
        api.sendRaw("PATCH", "/api/v1/users/me", user.token(), "{oops").expectError(400, "VALIDATION_FAILED");
        // Nothing above changed the profile.
        assertThat(api.get("/api/v1/users/me", user.token()).expect(200).text("display_name"))
                .isEqualTo("inval person");
    }

    @Test
    void getUserByIdFindsOthersAndRejectsUnknownAndMalformedIds() {
        TestClient.User caller = api.register("getter");
        TestClient.User other = api.register("gotten");
        JsonNode found = api.get("/api/v1/users/" + other.id(), caller.token())
                .expect(200)
                .json();
        assertThat(found.path("user_id").asString()).isEqualTo(other.id().toString());
        assertThat(found.path("username").asString()).isEqualTo(other.username());
        assertThat(found.path("display_name").asString()).isEqualTo("gotten person");
        assertThat(found.has("password_hash")).isFalse();

        api.get("/api/v1/users/" + UUID.randomUUID(), caller.token()).expectError(404, "USER_NOT_FOUND");
        var malformed = api.get("/api/v1/users/not-a-uuid", caller.token()).expectError(400, "VALIDATION_FAILED");
        assertThat(malformed.json().path("details").path("field").asString()).isEqualTo("id");
    }

    @Test
    void searchMatchesUsernameAndDisplayNamePrefixes() {
        TestClient.User caller = api.register("seeker");
        String tag = TestClient.uniqueName("srch");
        TestClient.User byName = registerAs(tag + "_anna");
        TestClient.User byDisplay = api.register("other");
        api.patch("/api/v1/users/me", byDisplay.token(), Map.of("display_name", tag.toUpperCase() + "ZED Person"))
                .expect(200);

        assertThat(usernames(search(caller, tag + "_an"))).containsExactly(byName.username());
        // Case-insensitive on both: the username matches the lowered query, the display name its lowered self.
        assertThat(usernames(search(caller, tag.toUpperCase())))
                .containsExactlyInAnyOrder(byName.username(), byDisplay.username());
        assertThat(usernames(search(caller, tag + "zed"))).containsExactly(byDisplay.username());
        // LIKE wildcards in the query are literal characters, not patterns.
        assertThat(search(caller, "%")).isEmpty();
        assertThat(search(caller, tag.substring(0, 2) + "_"))
                .noneMatch(u -> !u.path("username").asString().startsWith(tag.substring(0, 3)));
    }

    @Test
    void searchReturnsAtMostTwentyAndNeedsAQuery() {
        TestClient.User caller = api.register("many");
        String tag = TestClient.uniqueName("lim");
        for (int i = 0; i < 22; i++) {
            registerAs(tag + "_" + i);
        }
        assertThat(search(caller, tag)).hasSize(20);

        var blank = api.get("/api/v1/users?query=%20%20", caller.token()).expectError(400, "VALIDATION_FAILED");
        assertThat(blank.json().path("details").path("field").asString()).isEqualTo("query");
        var missing = api.get("/api/v1/users", caller.token()).expectError(400, "VALIDATION_FAILED");
        assertThat(missing.json().path("details").path("field").asString()).isEqualTo("query");
    }

    @Test
    void blockingIsIdempotentListedAndHidesTheUserFromSearch() {
        TestClient.User caller = api.register("blocker");
        TestClient.User target = api.register("blockee");
        String block = "/api/v1/users/" + target.id() + "/block";

        api.post(block, caller.token(), null).expect(204);
        api.post(block, caller.token(), null).expect(204);
        List<JsonNode> blocked = list(api.get("/api/v1/users/me/blocks", caller.token())
                .expect(200)
                .json()
                .path("users"));
        assertThat(blocked).hasSize(1);
        assertThat(blocked.getFirst().path("user_id").asString())
                .isEqualTo(target.id().toString());
        assertThat(blocked.getFirst().path("username").asString()).isEqualTo(target.username());
        assertThat(search(caller, target.username())).isEmpty();
        // Blocking is one-way in what it lists: the blocked user's own list stays empty.
        assertThat(list(api.get("/api/v1/users/me/blocks", target.token())
                        .expect(200)
                        .json()
                        .path("users")))
                .isEmpty();

        api.delete(block, caller.token()).expect(204);
        api.delete(block, caller.token()).expect(204);
        assertThat(list(api.get("/api/v1/users/me/blocks", caller.token())
                        .expect(200)
                        .json()
                        .path("users")))
                .isEmpty();
        assertThat(usernames(search(caller, target.username()))).containsExactly(target.username());
    }

    @Test
    void blockingOneselfUnknownOrMalformedUsersIsRejected() {
        TestClient.User caller = api.register("selfish");
        api.post("/api/v1/users/" + caller.id() + "/block", caller.token(), null)
                .expectError(400, "VALIDATION_FAILED");
        api.post("/api/v1/users/" + UUID.randomUUID() + "/block", caller.token(), null)
                .expectError(404, "USER_NOT_FOUND");
        api.delete("/api/v1/users/" + UUID.randomUUID() + "/block", caller.token())
                .expectError(404, "USER_NOT_FOUND");
        api.post("/api/v1/users/nope/block", caller.token(), null).expectError(400, "VALIDATION_FAILED");
        api.post("/api/v1/users/" + UUID.randomUUID() + "/block", null, null).expectError(401, "UNAUTHORIZED");
    }

    private void expectInvalid(TestClient.User user, Map<String, Object> body, String field) {
        var resp = api.patch("/api/v1/users/me", user.token(), body).expectError(400, "VALIDATION_FAILED");
        assertThat(resp.json().path("details").path("field").asString())
                .as("field of %s", body)
                .isEqualTo(field);
    }

    private TestClient.User registerAs(String username) {
        var resp = api.post("/api/v1/auth/register", null, Map.of("username", username, "password", "correct horse"))
                .expect(201);
        return new TestClient.User(
                UUID.fromString(resp.json().path("user").path("user_id").asString()),
                username,
                resp.text("access_token"),
                resp.text("refresh_token"));
    }

    private List<JsonNode> search(TestClient.User caller, String query) {
        String encoded = URLEncoder.encode(query, StandardCharsets.UTF_8);
        return list(api.get("/api/v1/users?query=" + encoded, caller.token())
                .expect(200)
                .json()
                .path("users"));
    }

    private static List<String> usernames(List<JsonNode> users) {
        return users.stream().map(u -> u.path("username").asString()).toList();
    }

    private static List<JsonNode> list(JsonNode array) {
        assertThat(array.isArray()).as("array in %s", array).isTrue();
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
