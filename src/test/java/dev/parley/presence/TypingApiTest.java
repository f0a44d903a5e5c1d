package dev.parley.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TypingApiTest extends ApiTest {

    @Test
    void typingShowsToOthersEndsOnStopOnSendAndExpiresByItself() {
        TestClient.User alice = api.register("typ");
        TestClient.User bob = api.register("typ");
        UUID conversation = chat.direct(alice, bob);
        String path = "/api/v1/conversations/" + conversation + "/typing";

        var started = api.post(path, alice.token(), null).expect(200);
        Instant expires = Instant.parse(started.text("expires_at"));
        assertThat(expires)
                .isBetween(Instant.now().plusSeconds(8), Instant.now().plusSeconds(11));
        var seen = api.get(path, bob.token()).expect(200).json().path("typing");
        assertThat(seen.size()).isEqualTo(1);
        assertThat(seen.get(0).path("user_id").asString()).isEqualTo(alice.id().toString());
        assertThat(api.get(path, alice.token()).json().path("typing").size())
                .as("not shown to oneself")
                .isZero();

        api.delete(path, alice.token()).expect(204);
        assertThat(api.get(path, bob.token()).json().path("typing").size()).isZero();

        api.post(path, alice.token(), null).expect(200);
        chat.sendOk(alice, conversation, "done typing");
        assertThat(api.get(path, bob.token()).json().path("typing").size())
                .as("sending ends typing")
                .isZero();

        api.post(path, bob.token(), null).expect(200);
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> api.get(path, alice.token()).json().path("typing").isEmpty());
    }

    @Test
    void outsidersAndBlockedUsersCannotType() {
        TestClient.User alice = api.register("typb");
        TestClient.User bob = api.register("typb");
        TestClient.User eve = api.register("typb");
        UUID conversation = chat.direct(alice, bob);
        String path = "/api/v1/conversations/" + conversation + "/typing";
        api.post(path, eve.token(), null).expectError(404, "CONVERSATION_NOT_FOUND");
        api.get(path, eve.token()).expectError(404, "CONVERSATION_NOT_FOUND");
        api.delete(path, eve.token()).expectError(404, "CONVERSATION_NOT_FOUND");
        api.post("/api/v1/users/" + alice.id() + "/block", bob.token(), null).expect(204);
        api.post(path, alice.token(), null).expectError(403, "USER_BLOCKED");
    }
}
