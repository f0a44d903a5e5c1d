package dev.parley.attachment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.attachment.image.TestImages;
import dev.parley.common.JobScheduler;
import dev.parley.message.MessageEdited;
import dev.parley.message.MessageImageUpdated;
import dev.parley.storage.ObjectStorage;
import dev.parley.support.Chat;
import dev.parley.support.MutableClock;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;

/**
 * What happens over time: upload URLs expire, a thumbnail that arrives after the message reaches every device
 * as {@code message.updated}, retention removes old and abandoned uploads, the sweep leaves uploads in processing
 * alone, and a job past its time limit (2 s here) is stopped. The server's clock moves only when the test says;
 * {@code complete} does not wait for processing here, so the test decides what is first.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "parley.data-dir=target/test-data/shared",
            "parley.attachments.complete-wait=0s",
            "parley.attachments.job-timeout=2s",
            "spring.datasource.hikari.maximum-pool-size=5"
        })
@ActiveProfiles("test")
class AttachmentLifecycleTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.now());

    @TestBean
    private Clock clock;

    @LocalServerPort
    private int port;

    @Autowired
    private JobScheduler scheduler;

    @Autowired
    private AttachmentRetention retention;

    @Autowired
    private ObjectStorage storage;

    @Autowired
    private QuarantineSweep sweep;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private MessageEventsSeen seen;

    /** The message events the server published, as the realtime relay and the catch-up log receive them. */
    static final class MessageEventsSeen {
        final Queue<Object> events = new ConcurrentLinkedQueue<>();

        @EventListener
        void on(MessageEdited event) {
            events.add(event);
        }

        @EventListener
        void on(MessageImageUpdated event) {
            events.add(event);
        }

        List<Object> about(String messageId) {
            return events.stream()
                    .filter(event -> messageId.equals((event instanceof MessageEdited edited
                                    ? edited.message()
                                    : ((MessageImageUpdated) event).message())
                            .messageId()
                            .toString()))
                    .toList();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Recording {
        @Bean
        MessageEventsSeen messageEventsSeen() {
            return new MessageEventsSeen();
        }
    }

    private TestClient api;
    private Uploads uploads;
    private Chat chat;

    static Clock clock() {
        return CLOCK;
    }

    @BeforeEach
    void client() {
        api = new TestClient("http://127.0.0.1:" + port);
        uploads = new Uploads(api);
        chat = new Chat(api);
    }

    @Test
    void anExpiredUploadUrlIsRefused() {
        TestClient.User alice = api.register("life");
        byte[] png = TestImages.png(TestImages.photo(32, 32, 10));
        JsonNode ticket = uploads.ticket(alice, "late.png", "image/png", png.length)
                .expect(200)
                .json();
        CLOCK.advance(Duration.ofMinutes(14));
        assertThat(Uploads.put(ticket, png))
                .as("PUT while the URL is still valid")
                .isEqualTo(200);
        CLOCK.advance(Duration.ofMinutes(2));
        assertThat(Uploads.put(ticket, png)).as("PUT after it expired").isEqualTo(403);
    }

    @Test
    void aThumbnailThatArrivesAfterTheMessageReachesEveryDeviceAsAnUpdate() {
        TestClient.User alice = api.register("life");
        TestClient.User bob = api.register("life");
        UUID conversation = chat.direct(alice, bob);
        byte[] png = TestImages.png(TestImages.photo(800, 400, 11));
        WsClient phone = WsClient.connect(api, bob);
        WsClient laptop = WsClient.connect(api, bob);
        WsClient alicesTablet = WsClient.connect(api, alice);
        scheduler.pause();
        String attachmentId;
        String messageId;
        try {
            JsonNode ticket = uploads.ticket(alice, "slow.png", "image/png", png.length)
                    .expect(200)
                    .json();
            assertThat(Uploads.put(ticket, png)).isEqualTo(200);
            attachmentId = ticket.path("attachment_id").asString();
            JsonNode completed = uploads.complete(alice, UUID.fromString(attachmentId))
                    .expect(200)
                    .json();
            assertThat(completed.path("upload_status").asString()).isEqualTo("processing");
            assertThat(completed.path("url").isNull()).isTrue();

            JsonNode message = uploads.sendImage(alice, conversation, attachmentId, "wait for it", null)
                    .expect(201)
                    .json();
            messageId = message.path("message_id").asString();
            assertThat(message.path("metadata").path("upload_status").asString())
                    .isEqualTo("processing");
            assertThat(message.path("metadata").path("thumbnail_url").isNull()).isTrue();
            for (WsClient device : List.of(phone, laptop)) {
                device.await(
                        "message.new",
                        data -> data.path("message")
                                .path("metadata")
                                .path("attachment_id")
                                .asString()
                                .equals(attachmentId));
            }
        } finally {
            scheduler.resume();
        }
        for (WsClient device : List.of(phone, laptop, alicesTablet)) {
            JsonNode updated = device.await(
                    "message.updated",
                    data -> data.path("message")
                            .path("metadata")
                            .path("attachment_id")
                            .asString()
                            .equals(attachmentId));
            JsonNode metadata = updated.path("message").path("metadata");
            assertThat(metadata.path("upload_status").asString()).isEqualTo("completed");
            assertThat(metadata.path("width").asInt()).isEqualTo(800);
            assertThat(Uploads.download(metadata.path("thumbnail_url").asString())
                            .image()
                            .getWidth())
                    .isEqualTo(200);
        }
        // Its own event, not an edit: the text did not change and the message is not marked edited.
        assertThat(seen.about(messageId)).singleElement().isInstanceOf(MessageImageUpdated.class);
        // A device that was away finds the update in its catch-up.
        JsonNode sync =
                api.get("/api/v1/sync?limit=100", bob.token()).expect(200).json();
        assertThat(sync.path("events")
                        .valueStream()
                        .map(event -> event.path("type").asString()))
                .contains("message.new", "message.updated");
        phone.close();
        laptop.close();
        alicesTablet.close();
    }

    @Test
    void aQueuedImageJobOutlivesItsScheduler() {
        TestClient.User alice = api.register("life");
        byte[] png = TestImages.png(TestImages.photo(90, 60, 14));
        scheduler.pause();
        String attachmentId;
        try {
            JsonNode ticket = uploads.ticket(alice, "durable.png", "image/png", png.length)
                    .expect(200)
                    .json();
            assertThat(Uploads.put(ticket, png)).isEqualTo(200);
            attachmentId = ticket.path("attachment_id").asString();
            assertThat(uploads.complete(alice, UUID.fromString(attachmentId))
                            .expect(200)
                            .json()
                            .path("upload_status")
                            .asString())
                    .isEqualTo("processing");
            // The job is a row in PostgreSQL, not a task in this process's memory.
            assertThat(jdbc.sql("SELECT count(*) FROM scheduled_tasks WHERE task_instance = ?")
                            .param(attachmentId)
                            .query(Long.class)
                            .single())
                    .isEqualTo(1);
        } finally {
            // As on a node restart: this scheduler goes away and a new one starts from the table.
            scheduler.stop();
            scheduler.start();
        }
        JsonNode done = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> api.get("/api/v1/messages/attachments/" + attachmentId, alice.token())
                                .expect(200)
                                .json(),
                        json -> "completed".equals(json.path("upload_status").asString()));
        assertThat(done.path("width").asInt()).isEqualTo(90);
        // The queue removes the job once it has returned, a moment after its result committed.
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(jdbc.sql("SELECT count(*) FROM scheduled_tasks WHERE task_instance = ?")
                                .param(attachmentId)
                                .query(Long.class)
                                .single())
                        .isZero());
    }

    @Test
    void anUploadInProcessingIsNeverSwept() {
        TestClient.User alice = api.register("life");
        byte[] png = TestImages.png(TestImages.photo(70, 50, 20));
        scheduler.pause();
        UUID id;
        try {
            id = uploads.ticketAndPut(alice, "queued.png", "image/png", png).id();
            assertThat(uploads.complete(alice, id)
                            .expect(200)
                            .json()
                            .path("upload_status")
                            .asString())
                    .isEqualTo("processing");
            assertThat(sweep.sweep(Instant.now().plus(Duration.ofDays(1)))).isGreaterThanOrEqualTo(0);
            assertThat(storage.size(Keys.checked(id))).contains((long) png.length);
        } finally {
            scheduler.resume();
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> api.get("/api/v1/messages/attachments/" + id, alice.token())
                                .expect(200)
                                .json(),
                        json -> "completed".equals(json.path("upload_status").asString()));
        assertThat(storage.size(Keys.checked(id))).isEmpty();
    }

    /**
     * 40 megapixels of 16-bit RGBA with a colour profile, a few hundred kB on the wire: seconds of work, stopped at
     * the 2 s limit. The upload is refused with the reason, and the memory its job held is free again.
     */
    @Test
    void aJobPastItsTimeLimitIsStoppedAndItsUploadRefused() {
        TestClient.User alice = api.register("life");
        byte[] png = TestImages.png16WithProfile(6324, 6324);
        UUID id = uploads.ticketAndPut(alice, "slow.png", "image/png", png).id();
        uploads.complete(alice, id).expect(200);
        JsonNode failed = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> api.get("/api/v1/messages/attachments/" + id, alice.token())
                                .expect(200)
                                .json(),
                        json -> "failed".equals(json.path("upload_status").asString()));
        assertThat(failed.path("failure_reason").asString())
                .isEqualTo("Processing the image took longer than 2 s, the limit; it was stopped.");
        uploads.complete(alice, id).expectError(422, "INVALID_ATTACHMENT");
        String metrics = api.get("/metrics", null).expect(200).raw();
        assertThat(metrics)
                .contains("attachment_image_job_timeouts_total")
                .containsPattern("(?m)^attachment_decode_memory_in_use_bytes(\\{[^}]*\\})? 0\\.0$");
    }

    @Test
    void retentionRemovesOldImagesAndAbandonedUploadsAndRecordsWhy() {
        TestClient.User alice = api.register("life");
        UUID conversation = chat.direct(alice, api.register("life"));
        JsonNode old = uploads.upload(alice, "old.png", "image/png", TestImages.png(TestImages.photo(48, 48, 12)));
        UUID oldId = UUID.fromString(old.path("attachment_id").asString());
        uploads.sendImage(alice, conversation, oldId.toString(), null, null).expect(201);
        UUID abandonedId = UUID.fromString(uploads.ticket(alice, "never.png", "image/png", 500)
                .expect(200)
                .json()
                .path("attachment_id")
                .asString());
        String originalKey = key(oldId, "storage_key");
        String thumbnailKey = key(oldId, "thumbnail_key");
        assertThat(storage.size(originalKey)).isPresent();

        CLOCK.advance(Duration.ofHours(25));
        retention.run();
        assertThat(reason(abandonedId)).isEqualTo("abandoned");
        assertThat(reason(oldId)).isNull();

        CLOCK.advance(Duration.ofDays(90));
        retention.run();
        assertThat(reason(oldId)).isEqualTo("retention");
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(storage.size(originalKey)).isEmpty();
            assertThat(storage.size(thumbnailKey)).isEmpty();
        });
    }

    private String key(UUID attachment, String column) {
        return jdbc.sql("SELECT " + column + " FROM message_attachments WHERE attachment_id = ?")
                .param(attachment)
                .query(String.class)
                .single();
    }

    private String reason(UUID attachment) {
        return jdbc.sql("SELECT deleted_reason FROM message_attachments WHERE attachment_id = ?")
                .param(attachment)
                .query(String.class)
                .optional()
                .orElse(null);
    }
}
