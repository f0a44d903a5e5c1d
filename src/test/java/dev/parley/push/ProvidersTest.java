package dev.parley.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.TestClient;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Each provider against its stand-in, over its real protocol: delivery, "gone" answers, and retries. */
class ProvidersTest extends PushTestContext {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private boolean listed(TestClient.User user, UUID device) {
        return api.get("/api/v1/devices", user.token())
                .expect(200)
                .json()
                .path("devices")
                .valueStream()
                .anyMatch(d -> d.path("device_id").asString().equals(device.toString()));
    }

    private static String apnsToken() {
        byte[] token = new byte[32];
        ThreadLocalRandom.current().nextBytes(token);
        return HexFormat.of().formatHex(token);
    }

    @Test
    void fcmUnregisteredDeletesTheDevice() {
        TestClient.User me = api.register("fcm_gone");
        TestClient.User friend = api.register("fcm_gone_f");
        String token = token("gone-");
        FCM.answer(token, 404);
        UUID device = device(me, "fcm", token);
        chat.sendOk(friend, chat.direct(friend, me), "anyone there?");
        await().atMost(WAIT).until(() -> !listed(me, device));
        assertThat(FCM.to(token)).extracting(FcmStandIn.Request::status).containsExactly(404);
        assertThat(api.get("/metrics", null).raw())
                .containsPattern("push_pruned_total\\{[^}]*provider=\"fcm\",reason=\"unregistered\"");
    }

    @Test
    void fcm429And503AreRetriedAfterTheStatedDelay() {
        TestClient.User me = api.register("fcm_busy");
        TestClient.User friend = api.register("fcm_busy_f");
        String token = token("busy-");
        FCM.answer(token, 429, 503);
        UUID device = device(me, "fcm", token);
        chat.sendOk(friend, chat.direct(friend, me), "eventually");
        List<FcmStandIn.Request> requests = await().atMost(WAIT).until(() -> FCM.to(token), r -> r.size() >= 3);
        assertThat(requests).extracting(FcmStandIn.Request::status).containsExactly(429, 503, 200);
        // Retry-After: 1 on both refusals.
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(Duration.between(requests.get(1).at(), requests.get(2).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(requests.get(2).message().path("data").path("body").asString())
                .isEqualTo("eventually");
        assertThat(listed(me, device)).isTrue();
        await().during(Duration.ofMillis(500))
                .atMost(WAIT)
                .until(() -> FCM.to(token).size() == 3);
    }

    @Test
    void apnsDeliversWithTokenAuthenticationAndTheConversationAsCollapseId() {
        TestClient.User me = api.register("apns_me");
        TestClient.User friend = api.register("apns_fr");
        String token = apnsToken();
        device(me, "apns", token);
        UUID direct = chat.direct(friend, me);
        UUID message = chat.sendOk(friend, direct, "over HTTP/2");
        ApnsStandIn.Received got = await().atMost(WAIT)
                .until(() -> APNS.to(token), r -> !r.isEmpty())
                .getFirst();
        assertThat(APNS.refused).isEmpty();
        assertThat(got.collapseId()).isEqualTo(direct.toString().replace("-", ""));
        assertThat(got.pushType()).isEqualTo("alert");
        JsonNode aps = got.payload().path("aps");
        assertThat(aps.path("badge").asInt()).isEqualTo(1);
        assertThat(aps.path("alert").path("body").asString()).isEqualTo("over HTTP/2");
        assertThat(aps.path("alert").path("title").asString()).isEqualTo("apns_fr person");
        assertThat(got.payload().path("message_id").asString()).isEqualTo(message.toString());
        assertThat(got.payload().path("type").asString()).isEqualTo("message.new");
    }

    @Test
    void apnsUnregisteredDeletesTheDevice() {
        TestClient.User me = api.register("apns_gone");
        TestClient.User friend = api.register("apns_gone_f");
        String token = apnsToken();
        APNS.gone.add(token);
        UUID device = device(me, "apns", token);
        chat.sendOk(friend, chat.direct(friend, me), "hello?");
        await().atMost(WAIT).until(() -> !listed(me, device));
    }

    @Test
    void webPushPayloadsDecryptWithTheSubscriptionsKeyAndCarryAValidVapidSignature() {
        TestClient.User me = api.register("wp_me");
        TestClient.User friend = api.register("wp_fr");
        WebPushStandIn.Subscriber browser = WEB_PUSH.subscribe();
        webPushDevice(me, browser);
        UUID direct = chat.direct(friend, me);
        UUID message = chat.sendOk(friend, direct, "encrypted for you");
        WebPushStandIn.Received got = await().atMost(WAIT)
                .until(() -> WEB_PUSH.to(browser), r -> !r.isEmpty())
                .getFirst();
        assertThat(got.payload())
                .as("decrypted with the subscription's private key")
                .isNotNull();
        assertThat(got.payload().path("type").asString()).isEqualTo("message.new");
        assertThat(got.payload().path("message_id").asString()).isEqualTo(message.toString());
        assertThat(got.payload().path("body").asString()).isEqualTo("encrypted for you");
        assertThat(got.payload().path("badge").asLong()).isEqualTo(1);
        assertThat(got.vapidValid()).isTrue();
        assertThat(got.vapidKey())
                .isEqualTo(api.get("/api/v1/push/webpush-key", null).text("public_key"));
        assertThat(got.topic()).isEqualTo(direct.toString().replace("-", ""));
    }

    @Test
    void webPushGoneSubscriptionsAreDeleted() {
        TestClient.User me = api.register("wp_gone");
        TestClient.User friend = api.register("wp_gone_f");
        WebPushStandIn.Subscriber browser = WEB_PUSH.subscribe();
        WEB_PUSH.answer(browser, 410);
        UUID device = webPushDevice(me, browser);
        chat.sendOk(friend, chat.direct(friend, me), "gone?");
        await().atMost(WAIT).until(() -> !listed(me, device));
        assertThat(WEB_PUSH.to(browser))
                .extracting(WebPushStandIn.Received::status)
                .containsExactly(410);
    }
}
