package dev.parley.attachment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.attachment.image.TestImages;
import dev.parley.storage.ObjectStorage;
import dev.parley.support.Chat;
import dev.parley.support.RekognitionStandIn;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Image moderation through the AWS SDK against a local Rekognition stand-in: a flagged image leaves storage and
 * every read path (history, search, sync, the live update), its message reads rejected and the system files a
 * report; a clean image is published; a provider that stays down never lets an unchecked image out.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "parley.data-dir=target/test-data/shared",
            "parley.attachments.complete-wait=0s",
            "parley.attachments.processing-attempts=2",
            "parley.moderation.image.provider=rekognition",
            "parley.moderation.image.region=eu-west-1",
            "parley.moderation.image.access-key-id=test-key",
            "parley.moderation.image.secret-access-key=test-secret",
            "parley.moderation.image.min-confidence=75",
            "parley.moderation.image.labels=Explicit Nudity,Violence"
        })
@ActiveProfiles("test")
class ImageModerationTest {

    private static final RekognitionStandIn REKOGNITION = new RekognitionStandIn();
    private static final Duration SOON = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void endpoint(DynamicPropertyRegistry registry) {
        registry.add("parley.moderation.image.endpoint", REKOGNITION::endpoint);
    }

    @AfterAll
    static void stop() {
        REKOGNITION.close();
    }

    @LocalServerPort
    private int port;

    @Autowired
    private ObjectStorage storage;

    @Autowired
    private JdbcClient jdbc;

    private TestClient api;
    private Chat chat;
    private Uploads uploads;

    @BeforeEach
    void setUp() {
        api = new TestClient("http://127.0.0.1:" + port);
        chat = new Chat(api);
        uploads = new Uploads(api);
        REKOGNITION.answer(RekognitionStandIn.labels());
    }

    @Test
    void aFlaggedImageLeavesStorageAndEveryReadPathAndIsReported() {
        TestClient.User alice = api.register("alice");
        TestClient.User bob = api.register("bob");
        UUID conversation = chat.direct(alice, bob);
        REKOGNITION.answer(RekognitionStandIn.labels("Explicit Nudity", "", 97.5, "Smoking", "Drugs", 99.0));
        REKOGNITION.hold();
        UUID attachment = upload(alice, 41);
        try (WsClient bobSocket = WsClient.connect(api, bob)) {
            JsonNode sent = api.post(
                            "/api/v1/conversations/" + conversation + "/messages",
                            alice.token(),
                            Map.of(
                                    "type",
                                    "image",
                                    "content",
                                    "sunset caption",
                                    "attachment_id",
                                    attachment.toString()))
                    .expect(201)
                    .json();
            String message = sent.path("message_id").asString();
            String key = jdbc.sql("SELECT storage_key FROM message_attachments WHERE attachment_id = :id")
                    .param("id", attachment)
                    .query(String.class)
                    .single();
            REKOGNITION.release();

            JsonNode update = bobSocket.await(
                    "message.updated",
                    d -> d.path("message").path("message_id").asString().equals(message));
            assertThat(update.path("message")
                            .path("metadata")
                            .path("upload_status")
                            .asString())
                    .isEqualTo("rejected");
            assertThat(update.path("message").path("metadata").path("image_url").isNull())
                    .isTrue();
            await().atMost(SOON).until(() -> storage.size(key).isEmpty());

            JsonNode shown = chat.history(bob, conversation).get(0);
            assertNoImage(shown);
            assertThat(shown.path("content").asString()).isEqualTo("sunset caption");
            JsonNode found = api.get("/api/v1/messages/search?q=sunset", bob.token())
                    .expect(200)
                    .json()
                    .path("messages");
            found.forEach(this::assertNoImage);
            String sync =
                    api.get("/api/v1/sync?limit=100", bob.token()).expect(200).raw();
            assertThat(sync)
                    .contains(message)
                    .doesNotContain("\"image_url\":\"http")
                    .doesNotContain("\"url\":\"http");
            api.get("/api/v1/messages/attachments/" + attachment, alice.token())
                    .expect(200)
                    .json();
        }
        assertThat(REKOGNITION.calls().getLast().target()).isEqualTo("RekognitionService.DetectModerationLabels");
        assertThat(REKOGNITION
                        .calls()
                        .getLast()
                        .body()
                        .path("Image")
                        .path("Bytes")
                        .asString())
                .isNotEmpty();
        assertThat(REKOGNITION.calls().getLast().body().path("MinConfidence").asDouble())
                .isEqualTo(75.0);
        String snapshot = jdbc.sql("SELECT snapshot FROM reports WHERE by_system AND target_id = :id")
                .param(
                        "id",
                        UUID.fromString(jdbc.sql("SELECT message_id::text FROM message_attachments "
                                        + "WHERE attachment_id = :id")
                                .param("id", attachment)
                                .query(String.class)
                                .single()))
                .query(String.class)
                .single();
        assertThat(snapshot).contains("Explicit Nudity").doesNotContain("Smoking");
    }

    @Test
    void aCleanImageOrLabelsBelowTheSettingsArePublished() {
        TestClient.User alice = api.register("alice");
        REKOGNITION.answer(RekognitionStandIn.labels("Smoking", "Drugs", 99.0, "Violence", "", 50.0));
        UUID attachment = upload(alice, 42);
        JsonNode done = await().atMost(SOON)
                .until(
                        () -> uploads.complete(alice, attachment).expect(200).json(),
                        json -> !json.path("upload_status").asString().equals("processing"));
        assertThat(done.path("upload_status").asString()).isEqualTo("completed");
        assertThat(done.path("url").asString()).startsWith("http");
    }

    @Test
    void aProviderThatStaysDownNeverPublishesTheImage() {
        TestClient.User alice = api.register("alice");
        REKOGNITION.failWith(500);
        int before = REKOGNITION.calls().size();
        UUID attachment = upload(alice, 43);
        JsonNode done = await().atMost(SOON)
                .until(
                        () -> api.get("/api/v1/messages/attachments/" + attachment, alice.token())
                                .expect(200)
                                .json(),
                        json -> !json.path("upload_status").asString().equals("processing"));
        assertThat(done.path("upload_status").asString()).isEqualTo("failed");
        assertThat(done.path("url").isNull()).isTrue();
        // Retried: both attempts asked (the SDK itself retries a 500 within one attempt too).
        assertThat(REKOGNITION.calls().size() - before).isGreaterThanOrEqualTo(2);
        REKOGNITION.answer(RekognitionStandIn.labels());
    }

    private UUID upload(TestClient.User user, long seed) {
        byte[] png = TestImages.png(TestImages.photo(64, 48, seed));
        JsonNode ticket = uploads.ticket(user, "photo.png", "image/png", png.length)
                .expect(200)
                .json();
        assertThat(Uploads.put(ticket, png)).isBetween(200, 299);
        UUID id = UUID.fromString(ticket.path("attachment_id").asString());
        uploads.complete(user, id).expect(200);
        return id;
    }

    private void assertNoImage(JsonNode message) {
        assertThat(message.path("metadata").path("upload_status").asString()).isEqualTo("rejected");
        assertThat(message.path("metadata").path("image_url").isNull()).isTrue();
        assertThat(message.path("metadata").path("thumbnail_url").isNull()).isTrue();
        message.path("attachments")
                .forEach(a -> assertThat(a.path("url").isNull()).isTrue());
    }
}
