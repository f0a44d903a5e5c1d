package dev.parley.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.attachment.Uploads;
import dev.parley.attachment.image.TestImages;
import dev.parley.support.ApiTest;
import dev.parley.support.TestClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A user's export through the public API: the ZIP matches what the API shows, and only its owner gets it. */
class ExportApiTest extends ApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theArchiveHoldsWhatTheApiShowsAndOnlyItsOwnerGetsIt() throws Exception {
        TestClient.User alice = api.register("exp");
        TestClient.User bob = api.register("expb");
        UUID direct = chat.direct(alice, bob);
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            sent.add(chat.sendOk(alice, direct, "export line " + i).toString());
        }
        UUID bobs = chat.sendOk(bob, direct, "bob's own words");
        api.post("/api/v1/messages/" + bobs + "/reactions", alice.token(), Map.of("emoji", "🎉"))
                .expect(201);
        api.put("/api/v1/messages/" + bobs + "/read", alice.token(), null).expect(200);
        byte[] png = TestImages.png(TestImages.photo(80, 60, 7));
        Uploads uploads = new Uploads(api);
        JsonNode image = uploads.upload(alice, "trip.png", "image/png", png);
        sent.add(uploads.sendImage(alice, direct, image.path("attachment_id").asString(), "a caption", null)
                .expect(201)
                .text("message_id"));

        TestClient.Resp requested =
                api.post("/api/v1/users/me/export", alice.token(), null).expect(202);
        assertThat(requested.text("status")).isEqualTo("pending");
        String exportId = requested.text("export_id");
        String path = "/api/v1/users/me/exports/" + exportId;
        api.get(path, bob.token()).expectError(404, "EXPORT_NOT_FOUND");
        JsonNode ready = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> api.get(path, alice.token()).expect(200).json(),
                        s -> "ready".equals(s.path("status").asString()));
        assertThat(ready.path("expires_in").asLong()).isBetween(1L, 300L);
        api.get(path, bob.token()).expectError(404, "EXPORT_NOT_FOUND");

        Map<String, byte[]> files = unzip(download(ready.path("download_url").asString()));
        assertThat(files)
                .containsKeys(
                        "profile.json",
                        "conversations.json",
                        "messages.jsonl",
                        "reactions.json",
                        "receipts.json",
                        "contacts.json",
                        "images/" + image.path("attachment_id").asString() + ".png");
        JsonNode profile = TestClient.JSON.readTree(files.get("profile.json")).path("user");
        JsonNode me = api.get("/api/v1/users/me", alice.token()).expect(200).json();
        assertThat(profile.path("user_id").asString())
                .isEqualTo(me.path("user_id").asString());
        assertThat(profile.path("username").asString())
                .isEqualTo(me.path("username").asString());
        assertThat(profile.path("display_name").asString())
                .isEqualTo(me.path("display_name").asString());

        Map<String, JsonNode> exported = new HashMap<>();
        for (String line : new String(files.get("messages.jsonl"), StandardCharsets.UTF_8).split("\n")) {
            JsonNode m = TestClient.JSON.readTree(line);
            exported.put(m.path("message_id").asString(), m);
        }
        assertThat(exported.keySet()).isEqualTo(sent);
        for (JsonNode m : chat.history(alice, direct)) {
            JsonNode line = exported.get(m.path("message_id").asString());
            if (m.path("sender_id").asString().equals(alice.id().toString())) {
                assertThat(line.path("content").asString())
                        .isEqualTo(m.path("content").asString());
                assertThat(line.path("seq").asLong()).isEqualTo(m.path("seq").asLong());
                assertThat(line.path("created_at").asString())
                        .isEqualTo(m.path("created_at").asString());
                assertThat(line.path("conversation_id").asString()).isEqualTo(direct.toString());
            } else {
                assertThat(line).as("only the user's own messages").isNull();
            }
        }
        assertThat(files.get("images/" + image.path("attachment_id").asString() + ".png"))
                .isEqualTo(download(api.get(
                                "/api/v1/messages/attachments/"
                                        + image.path("attachment_id").asString(),
                                alice.token())
                        .expect(200)
                        .text("url")));
        JsonNode reactions =
                TestClient.JSON.readTree(files.get("reactions.json")).path("reactions");
        assertThat(reactions.size()).isEqualTo(1);
        assertThat(reactions.get(0).path("emoji").asString()).isEqualTo("🎉");
        JsonNode conversations =
                TestClient.JSON.readTree(files.get("conversations.json")).path("conversations");
        assertThat(conversations.toString()).contains(direct.toString());
        JsonNode receipts = TestClient.JSON.readTree(files.get("receipts.json")).path("receipts");
        assertThat(receipts.get(0).path("last_read_seq").asLong()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void theArchiveHoldsTheContactsAndContactRequestsAsTheApiListsThem() throws Exception {
        TestClient.User alice = api.register("expc");
        TestClient.User friend = api.register("expc_fr");
        TestClient.User asked = api.register("expc_out");
        TestClient.User asking = api.register("expc_in");
        api.post("/api/v1/users/" + friend.id() + "/contact", alice.token(), null)
                .expect(200);
        api.post("/api/v1/users/" + alice.id() + "/contact", friend.token(), null)
                .expect(200);
        api.post("/api/v1/users/" + asked.id() + "/contact", alice.token(), null)
                .expect(200);
        api.post("/api/v1/users/" + alice.id() + "/contact", asking.token(), null)
                .expect(200);

        JsonNode exported =
                TestClient.JSON.readTree(export(alice).get("contacts.json")).path("contacts");
        List<JsonNode> listed = new ArrayList<>();
        for (String status : List.of("accepted", "incoming", "outgoing")) {
            api.get("/api/v1/users/me/contacts?status=" + status, alice.token())
                    .expect(200)
                    .json()
                    .path("contacts")
                    .forEach(listed::add);
        }
        assertThat(listed).hasSize(3);
        assertThat(exported.toString())
                .isEqualTo(TestClient.JSON.valueToTree(listed).toString());
        Map<String, String> statuses = new HashMap<>();
        exported.forEach(c -> statuses.put(
                c.path("user").path("user_id").asString(), c.path("status").asString()));
        assertThat(statuses)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        friend.id().toString(), "accepted",
                        asking.id().toString(), "incoming",
                        asked.id().toString(), "outgoing"));
        assertThat(exported)
                .allSatisfy(c -> assertThat(c.path("since").asString()).isNotBlank());
    }

    /** Requests the user's export, waits for it and returns the ZIP's files by name. */
    private Map<String, byte[]> export(TestClient.User user) throws Exception {
        String exportId = api.post("/api/v1/users/me/export", user.token(), null)
                .expect(202)
                .text("export_id");
        JsonNode ready = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> api.get("/api/v1/users/me/exports/" + exportId, user.token())
                                .expect(200)
                                .json(),
                        s -> "ready".equals(s.path("status").asString()));
        return unzip(download(ready.path("download_url").asString()));
    }

    private static byte[] download(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                files.put(entry.getName(), in.readAllBytes());
            }
        }
        return files;
    }
}
