package dev.parley.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ModerationApiTest;
import dev.parley.support.TestClient;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Reports through the public API: only participants may report a message (everyone else 404), a repeated report of
 * one target is the same report, the snapshot outlives the message, and admins resolve them from the queue.
 */
class ReportApiTest extends ModerationApiTest {

    @Test
    void onlyParticipantsReportAMessageAndARepeatIsTheSameReport() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        TestClient.User outsider = api.register("outsider");
        UUID conversation = chat.direct(alice, bob);
        UUID message = chat.sendOk(alice, conversation, "buy my stuff");
        Map<String, Object> spam = Map.of("reason", "spam", "note", "third time today");

        api.post("/api/v1/messages/" + message + "/report", outsider.token(), spam)
                .expectError(404, "MESSAGE_NOT_FOUND");
        api.post("/api/v1/messages/" + UUID.randomUUID() + "/report", bob.token(), spam)
                .expectError(404, "MESSAGE_NOT_FOUND");
        UUID first = api.post("/api/v1/messages/" + message + "/report", bob.token(), spam)
                .expect(202)
                .id("report_id");
        UUID again = api.post("/api/v1/messages/" + message + "/report", bob.token(), Map.of("reason", "abuse"))
                .expect(202)
                .id("report_id");
        assertThat(again).isEqualTo(first);
        // Another reporter files their own.
        UUID alicesOwn = api.post("/api/v1/messages/" + message + "/report", alice.token(), spam)
                .expect(202)
                .id("report_id");
        assertThat(alicesOwn).isNotEqualTo(first);

        api.post("/api/v1/messages/" + message + "/report", bob.token(), Map.of("reason", "boring"))
                .expectError(400, "VALIDATION_FAILED");
        api.post("/api/v1/messages/" + message + "/report", bob.token(), Map.of("note", "no reason"))
                .expectError(400, "VALIDATION_FAILED");
        api.post(
                        "/api/v1/messages/" + message + "/report",
                        bob.token(),
                        Map.of("reason", "other", "note", "x".repeat(1001)))
                .expectError(400, "VALIDATION_FAILED");
    }

    @Test
    void usersAreReportedByAnyoneButThemselves() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        api.post("/api/v1/users/" + bob.id() + "/report", alice.token(), Map.of("reason", "abuse"))
                .expect(202);
        api.post("/api/v1/users/" + alice.id() + "/report", alice.token(), Map.of("reason", "abuse"))
                .expectError(400, "VALIDATION_FAILED");
        api.post("/api/v1/users/" + UUID.randomUUID() + "/report", alice.token(), Map.of("reason", "abuse"))
                .expectError(404, "USER_NOT_FOUND");
    }

    @Test
    void theSnapshotOutlivesTheMessageAndTheQueueShowsItsContext() {
        TestClient.User admin = admin();
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conversation = chat.direct(alice, bob);
        chat.sendOk(bob, conversation, "before it");
        UUID message = chat.sendOk(alice, conversation, "a nasty thing to say");
        chat.sendOk(bob, conversation, "after it");
        UUID report = api.post(
                        "/api/v1/messages/" + message + "/report",
                        bob.token(),
                        Map.of("reason", "abuse", "note", "see this"))
                .expect(202)
                .id("report_id");
        api.delete("/api/v1/messages/" + message, alice.token()).expect(204);

        JsonNode found = find(admin, "open", report);
        assertThat(found.path("snapshot").path("content").asString()).isEqualTo("a nasty thing to say");
        assertThat(found.path("snapshot").path("sender_id").asString())
                .isEqualTo(alice.id().toString());
        assertThat(found.path("reported_user").path("user_id").asString())
                .isEqualTo(alice.id().toString());
        assertThat(found.path("reporter_id").asString()).isEqualTo(bob.id().toString());
        assertThat(found.path("note").asString()).isEqualTo("see this");
        assertThat(found.path("context").findValuesAsString("content")).contains("before it", "after it");
        JsonNode single = api.get("/api/v1/admin/reports/" + report, admin.token())
                .expect(200)
                .json();
        assertThat(single.path("snapshot").path("content").asString()).isEqualTo("a nasty thing to say");
        api.get("/api/v1/admin/reports/" + UUID.randomUUID(), admin.token()).expectError(404, "REPORT_NOT_FOUND");
        api.get("/api/v1/admin/reports?status=maybe", admin.token()).expectError(400, "VALIDATION_FAILED");
        api.get("/api/v1/admin/reports?cursor=nope", admin.token()).expectError(400, "VALIDATION_FAILED");
    }

    @Test
    void resolvingDeletesTheMessageOrSuspendsTheSenderOnceAndIsAudited() {
        TestClient.User admin = admin();
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conversation = chat.direct(alice, bob);
        UUID message = chat.sendOk(alice, conversation, "delete me please");
        UUID report = api.post("/api/v1/messages/" + message + "/report", bob.token(), Map.of("reason", "spam"))
                .expect(202)
                .id("report_id");

        JsonNode resolved = api.post(
                        "/api/v1/admin/reports/" + report + "/resolve",
                        admin.token(),
                        Map.of("action", "delete_message", "note", "clear spam"))
                .expect(200)
                .json();
        assertThat(resolved.path("status").asString()).isEqualTo("resolved");
        assertThat(resolved.path("resolution").path("action").asString()).isEqualTo("delete_message");
        assertThat(resolved.path("resolution").path("resolved_by").asString())
                .isEqualTo(admin.id().toString());
        assertThat(chat.history(bob, conversation).get(0).path("is_deleted").asBoolean())
                .isTrue();
        api.post("/api/v1/admin/reports/" + report + "/resolve", admin.token(), Map.of("action", "dismiss"))
                .expectError(409, "CONFLICT");
        assertThat(find(admin, "resolved", report).path("status").asString()).isEqualTo("resolved");

        UUID userReport = api.post("/api/v1/users/" + alice.id() + "/report", bob.token(), Map.of("reason", "abuse"))
                .expect(202)
                .id("report_id");
        api.post("/api/v1/admin/reports/" + userReport + "/resolve", admin.token(), Map.of("action", "delete_message"))
                .expectError(400, "VALIDATION_FAILED");
        api.post("/api/v1/admin/reports/" + userReport + "/resolve", admin.token(), Map.of("action", "suspend_user"))
                .expect(200);
        api.post("/api/v1/auth/login", null, Map.of("username", alice.username(), "password", "correct horse"))
                .expectError(403, "ACCOUNT_SUSPENDED");

        JsonNode entries = api.get("/api/v1/admin/audit?target=" + report, admin.token())
                .expect(200)
                .json()
                .path("entries");
        assertThat(entries.findValuesAsString("action")).containsExactly("report_resolved");
        assertThat(api.get("/api/v1/admin/audit?target=" + alice.id(), admin.token())
                        .expect(200)
                        .json()
                        .path("entries")
                        .findValuesAsString("action"))
                .contains("user_suspended");
    }

    /** The report in the admin queue of that status, paging through it. */
    private JsonNode find(TestClient.User admin, String status, UUID report) {
        String cursor = "";
        for (int page = 0; page < 200; page++) {
            JsonNode body = api.get(
                            "/api/v1/admin/reports?status=" + status + "&limit=50&cursor=" + cursor, admin.token())
                    .expect(200)
                    .json();
            for (JsonNode item : body.path("reports")) {
                if (item.path("report_id").asString().equals(report.toString())) {
                    return item;
                }
            }
            if (body.path("next_cursor").isNull()) {
                break;
            }
            cursor = body.path("next_cursor").asString();
        }
        throw new AssertionError("report " + report + " not in the " + status + " queue");
    }
}
