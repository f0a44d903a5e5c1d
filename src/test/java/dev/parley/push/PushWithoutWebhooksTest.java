package dev.parley.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.Chat;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Push with no webhook configured, the default: the consumer then reads only the notify types and a few fields of
 * their data, and looks up badges, settings and previews only for recipients with a device. Recipients without one
 * in the same batch change nothing for those with one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushWithoutWebhooksTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private FcmStandIn fcm;
    private ConfigurableApplicationContext node;
    private TestClient api;
    private Chat chat;

    @BeforeAll
    void start() throws Exception {
        fcm = new FcmStandIn(Path.of("target/test-data/push-no-webhooks-standins"));
        List<String> args = new ArrayList<>(List.of("--parley.push.interval=50ms"));
        args.addAll(fcm.serverArguments());
        node = SendRun.startOwnNode("target/test-data/push-no-webhooks", args.toArray(String[]::new));
        api = SendRun.client(node);
        chat = new Chat(api);
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {node, fcm}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    private String device(TestClient.User user) {
        String token = "nohook-" + UUID.randomUUID();
        api.post("/api/v1/devices", user.token(), Map.of("platform", "fcm", "token", token))
                .expect(201);
        return token;
    }

    private JsonNode last(String token) {
        List<FcmStandIn.Request> requests = await().atMost(WAIT).until(() -> fcm.to(token), got -> !got.isEmpty());
        return requests.getLast().message().path("data");
    }

    @Test
    void recipientsWithDevicesGetTheirPreviewsAndBadgesWhateverTheOthersHave() {
        TestClient.User owner = api.register("nohook_o");
        TestClient.User full = api.register("nohook_f");
        TestClient.User bare = api.register("nohook_b");
        TestClient.User sender = api.register("nohook_s");
        UUID group = chat.group(owner, "No hooks", full, bare, sender);
        String fullPhone = device(full);
        String senderPhone = device(sender);
        api.put("/api/v1/users/me/notification-settings", sender.token(), Map.of("previews", "sender"))
                .expect(200);
        UUID direct = chat.direct(owner, bare);
        chat.sendOk(owner, direct, "only to a user without devices");
        UUID message = chat.sendOk(owner, group, "hello devices");

        JsonNode toFull = last(fullPhone);
        assertThat(toFull.path("message_id").asString()).isEqualTo(message.toString());
        assertThat(toFull.path("title").asString()).isEqualTo("No hooks");
        assertThat(toFull.path("body").asString()).isEqualTo("hello devices");
        assertThat(toFull.path("badge").asString()).isEqualTo("1");
        assertThat(toFull.path("seq").asString()).isNotBlank();
        JsonNode toSender = last(senderPhone);
        assertThat(toSender.path("title").asString()).isEqualTo("No hooks");
        assertThat(toSender.has("body")).isFalse();

        // Reading to the end on another session (a laptop without a device) clears the phone.
        String laptop = api.post(
                        "/api/v1/auth/login", null, Map.of("username", full.username(), "password", "correct horse"))
                .expect(200)
                .text("access_token");
        api.put("/api/v1/messages/" + message + "/read", laptop, null).expect(200);
        await().atMost(WAIT).until(() -> last(fullPhone).path("type").asString().equals("conversation.read"));
        assertThat(last(fullPhone).path("badge").asString()).isEqualTo("0");
    }
}
