package dev.parley.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The default contact policy, {@code open}: anyone starts a direct chat with anyone and puts anyone into a group,
 * at once, with no request; contacts still work as data (requests, lists).
 */
class OpenPolicyApiTest extends ApiTest {

    @Test
    void strangersTalkAtOnceAndNothingWaitsInAFolder() {
        TestClient.User a = api.register("open_a");
        TestClient.User b = api.register("open_b");
        TestClient.User c = api.register("open_c");
        try (WsClient socket = WsClient.connect(api, b)) {
            UUID direct = chat.direct(a, b);
            chat.sendOk(a, direct, "hello from a stranger");
            socket.await("message.new", d -> d.toString().contains("hello from a stranger"));
        }
        UUID group = chat.group(a, "Open", b, c);
        assertThat(chat.conversation(c, group).path("is_request").asBoolean()).isFalse();
        JsonNode requests = api.get("/api/v1/conversations?folder=requests", b.token())
                .expect(200)
                .json();
        assertThat(requests.path("conversations").size()).isZero();
        assertThat(requests.path("requests").path("count").asLong()).isZero();
        api.post("/api/v1/conversations/" + group + "/accept", c.token(), null).expect(200);
        api.post("/api/v1/conversations/" + group + "/decline", c.token(), null)
                .expectError(404, "CONVERSATION_NOT_FOUND");

        api.post("/api/v1/users/" + b.id() + "/contact", a.token(), null).expect(200);
        assertThat(api.get("/api/v1/users/me/contacts?status=incoming", b.token())
                        .expect(200)
                        .json()
                        .path("contacts")
                        .toString())
                .contains(a.id().toString());
        api.post(
                        "/api/v1/conversations",
                        a.token(),
                        Map.of("type", "direct", "participant_ids", List.of(c.id().toString())))
                .expect(201);
    }
}
