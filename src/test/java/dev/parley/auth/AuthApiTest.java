package dev.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthApiTest extends ApiTest {

    @Test
    void registerLoginAndUseTheToken() {
        String username = TestClient.uniqueName("reg");
        var created = api.post(
                        "/api/v1/auth/register",
                        null,
                        Map.of("username", username, "password", "long enough", "display_name", "Reg User"))
                .expect(201);
        assertThat(created.text("token_type")).isEqualTo("Bearer");
        assertThat(created.json().path("expires_in").asLong()).isPositive();
        assertThat(created.json().path("user").path("display_name").asString()).isEqualTo("Reg User");

        var login = api.post("/api/v1/auth/login", null, Map.of("username", username, "password", "long enough"))
                .expect(200);
        api.get("/api/v1/users/me", login.text("access_token")).expect(200);
    }

    @Test
    void refreshRotatesAndAReplayRevokesTheFamily() {
        TestClient.User user = api.register("rot");
        var first = api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", user.refreshToken()))
                .expect(200);
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", user.refreshToken()))
                .expectError(401, "UNAUTHORIZED");
        // The replay above revoked the whole family, including the token issued by the first refresh.
        api.post("/api/v1/auth/refresh", null, Map.of("refresh_token", first.text("refresh_token")))
                .expectError(401, "UNAUTHORIZED");
    }

    @Test
    void badInputIsRejectedWithTheContractsCodes() {
        api.post("/api/v1/auth/register", null, Map.of("username", "No Caps!", "password", "long enough"))
                .expectError(400, "VALIDATION_FAILED");
        api.post("/api/v1/auth/register", null, Map.of("username", TestClient.uniqueName("pw"), "password", "short"))
                .expectError(400, "VALIDATION_FAILED");
        api.sendRaw("POST", "/api/v1/auth/register", null, "{not json").expectError(400, "VALIDATION_FAILED");
        var wrongType = api.sendRaw("POST", "/api/v1/auth/register", null, "{\"username\": [1], \"password\": \"x\"}")
                .expectError(400, "VALIDATION_FAILED");
        assertThat(wrongType.json().path("details").path("field").asString()).isEqualTo("username");

        TestClient.User taken = api.register("dup");
        api.post("/api/v1/auth/register", null, Map.of("username", taken.username(), "password", "long enough"))
                .expectError(409, "CONFLICT");
        api.post("/api/v1/auth/login", null, Map.of("username", taken.username(), "password", "wrong password"))
                .expectError(401, "UNAUTHORIZED");
        api.post("/api/v1/auth/login", null, Map.of("username", "nobody_here_at_all", "password", "whatever1"))
                .expectError(401, "UNAUTHORIZED");
    }

    @Test
    void missingForgedAndAlgNoneTokensAreUnauthorized() {
        TestClient.User user = api.register("tok");
        api.get("/api/v1/users/me", null).expectError(401, "UNAUTHORIZED");
        api.get("/api/v1/users/me", "garbage").expectError(401, "UNAUTHORIZED");
        String[] parts = user.token().split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        api.get("/api/v1/users/me", tampered).expectError(401, "UNAUTHORIZED");
        String algNone = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "."
                + parts[1] + ".";
        api.get("/api/v1/users/me", algNone).expectError(401, "UNAUTHORIZED");
    }

    @Test
    void nulCharactersAndNonStringTextAreRejectedAtTheBoundary() {
        var nul = api.sendRaw(
                        "POST",
                        "/api/v1/auth/register",
                        null,
                        "{\"username\": \"nul_user\", \"password\": \"long enough\", \"display_name\": \"a\\u0000b\"}")
                .expectError(400, "VALIDATION_FAILED");
        assertThat(nul.json().path("details").path("field").asString()).isEqualTo("display_name");
        var number = api.sendRaw(
                        "POST", "/api/v1/auth/register", null, "{\"username\": 12345, \"password\": \"long enough\"}")
                .expectError(400, "VALIDATION_FAILED");
        assertThat(number.json().path("details").path("field").asString()).isEqualTo("username");
        api.sendRaw("POST", "/api/v1/auth/register", null, "[]").expectError(400, "VALIDATION_FAILED");
        TestClient.User user = api.register("nulq");
        api.get("/api/v1/users?query=a%00b", user.token()).expectError(400, "VALIDATION_FAILED");
    }
}
