package dev.parley.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.TestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DevicesApiTest extends PushTestContext {

    private List<String> listed(TestClient.User user) {
        return api.get("/api/v1/devices", user.token())
                .expect(200)
                .json()
                .path("devices")
                .valueStream()
                .map(d -> d.path("device_id").asString())
                .toList();
    }

    @Test
    void aTokenIsRegisteredOnceAndMovesToWhoeverRegistersItLast() {
        TestClient.User alice = api.register("dev_a");
        TestClient.User bob = api.register("dev_b");
        String token = token("fcm-");
        TestClient.Resp created = api.post(
                        "/api/v1/devices", alice.token(), Map.of("platform", "fcm", "token", token, "locale", "pt-BR"))
                .expect(201);
        assertThat(created.text("platform")).isEqualTo("fcm");
        assertThat(created.text("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        UUID id = created.id("device_id");

        api.post("/api/v1/devices", alice.token(), Map.of("platform", "fcm", "token", token))
                .expect(200);
        assertThat(listed(alice)).containsExactly(id.toString());

        TestClient.Resp moved = api.post("/api/v1/devices", bob.token(), Map.of("platform", "fcm", "token", token))
                .expect(200);
        assertThat(moved.id("device_id")).isEqualTo(id);
        assertThat(listed(alice)).isEmpty();
        assertThat(listed(bob)).containsExactly(id.toString());
    }

    @Test
    void aDeletedAccountsDevicesAndSettingsAreErased() {
        TestClient.User gone = api.register("dev_gone");
        device(gone, "fcm", token("gone-"));
        device(gone, "apns", token("gone-apns"));
        api.put("/api/v1/users/me/notification-settings", gone.token(), Map.of("previews", "none"))
                .expect(200);
        api.send("DELETE", "/api/v1/users/me", gone.token(), Map.of("password", "correct horse"))
                .expect(204);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(jdbc.sql("""
                                SELECT (SELECT count(*) FROM devices WHERE user_id = :u)
                                     + (SELECT count(*) FROM notification_settings WHERE user_id = :u)
                                """)
                                .param("u", gone.id())
                                .query(Long.class)
                                .single())
                        .isZero());
    }

    @Test
    void anotherUsersDeviceIsNotFound() {
        TestClient.User alice = api.register("dev_c");
        TestClient.User bob = api.register("dev_d");
        UUID id = device(alice, "apns", token("apns"));
        api.delete("/api/v1/devices/" + id, bob.token()).expectError(404, "DEVICE_NOT_FOUND");
        api.delete("/api/v1/devices/" + UUID.randomUUID(), alice.token()).expectError(404, "DEVICE_NOT_FOUND");
        api.delete("/api/v1/devices/" + id, alice.token()).expect(204);
        api.delete("/api/v1/devices/" + id, alice.token()).expectError(404, "DEVICE_NOT_FOUND");
        assertThat(listed(alice)).isEmpty();
    }

    @Test
    void aUserKeepsAtMostTheConfiguredNumberOfDevicesTheNewest() {
        TestClient.User alice = api.register("dev_e");
        UUID first = device(alice, "fcm", token("fcm-"));
        UUID second = device(alice, "fcm", token("fcm-"));
        UUID third = device(alice, "apns", token("apns"));
        UUID fourth = device(alice, "fcm", token("fcm-"));
        assertThat(listed(alice))
                .containsExactlyInAnyOrder(second.toString(), third.toString(), fourth.toString())
                .doesNotContain(first.toString());
    }

    @Test
    void badInputIsRefusedWithTheFieldNamed() {
        TestClient.User alice = api.register("dev_f");
        String key = WEB_PUSH.subscribe().subscription().get("keys").toString();
        Map<String, Object> keys = validKeys();
        expectField(alice, Map.of("platform", "sms", "token", "x"), "platform");
        expectField(alice, Map.of("platform", "fcm"), "token");
        expectField(alice, Map.of("platform", "fcm", "token", "a".repeat(1025)), "token");
        expectField(alice, Map.of("platform", "fcm", "token", "has space"), "token");
        expectField(alice, Map.of("platform", "fcm", "token", "t", "locale", "<script>"), "locale");
        expectField(alice, Map.of("platform", "webpush"), "subscription");
        expectField(alice, webPush("http://push.example.com/x", keys), "subscription.endpoint");
        expectField(alice, webPush("file:///etc/passwd", keys), "subscription.endpoint");
        expectField(alice, webPush("https://push.example.com/" + "a".repeat(2100), keys), "subscription.endpoint");
        expectField(
                alice,
                webPush("https://push.example.com/x", Map.of("p256dh", "AAAA", "auth", keys.get("auth"))),
                "subscription.keys.p256dh");
        expectField(
                alice,
                webPush("https://push.example.com/x", Map.of("p256dh", keys.get("p256dh"), "auth", "%%%")),
                "subscription.keys.auth");
        api.sendRaw("POST", "/api/v1/devices", alice.token(), "{\"platform\": 5")
                .expectError(400, "VALIDATION_FAILED");
        assertThat(key).isNotBlank();
        // An https endpoint anywhere is fine (a real push service); plain http only on loopback, in development.
        api.post("/api/v1/devices", alice.token(), webPush("https://push.example.com/sub/" + UUID.randomUUID(), keys))
                .expect(201);
    }

    /** A {@code webpush} registration body with this endpoint and these keys. */
    private static Map<String, Object> webPush(String endpoint, Map<String, Object> keys) {
        return Map.of("platform", "webpush", "subscription", Map.of("endpoint", endpoint, "keys", keys));
    }

    private Map<String, Object> validKeys() {
        @SuppressWarnings("unchecked")
        Map<String, Object> keys =
                (Map<String, Object>) WEB_PUSH.subscribe().subscription().get("keys");
        return keys;
    }

    private void expectField(TestClient.User user, Map<String, Object> body, String field) {
        JsonNode error = api.post("/api/v1/devices", user.token(), body)
                .expectError(400, "VALIDATION_FAILED")
                .json();
        assertThat(error.path("details").path("field").asString())
                .as("field of %s", body)
                .isEqualTo(field);
    }

    @Test
    void theVapidKeyIsPublicStableAndKeptOwnerOnly() throws Exception {
        String key = api.get("/api/v1/push/webpush-key", null).expect(200).text("public_key");
        byte[] raw = Base64.getUrlDecoder().decode(key);
        assertThat(raw).hasSize(65);
        assertThat(raw[0]).isEqualTo((byte) 4);
        assertThat(api.get("/api/v1/push/webpush-key", null).text("public_key")).isEqualTo(key);
        Path file = Path.of("target/test-data/push/vapid-keys");
        assertThat(Files.readString(file)).startsWith(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void previewsDefaultToFullAndOnlyKnownValuesAreTaken() {
        TestClient.User alice = api.register("dev_g");
        String path = "/api/v1/users/me/notification-settings";
        assertThat(api.get(path, alice.token()).expect(200).text("previews")).isEqualTo("full");
        assertThat(api.put(path, alice.token(), Map.of("previews", "sender"))
                        .expect(200)
                        .text("previews"))
                .isEqualTo("sender");
        assertThat(api.get(path, alice.token()).text("previews")).isEqualTo("sender");
        assertThat(api.put(path, alice.token(), Map.of("previews", "everything"))
                        .expectError(400, "VALIDATION_FAILED")
                        .json()
                        .path("details")
                        .path("field")
                        .asString())
                .isEqualTo("previews");
        api.get(path, null).expectError(401, "UNAUTHORIZED");
    }
}
