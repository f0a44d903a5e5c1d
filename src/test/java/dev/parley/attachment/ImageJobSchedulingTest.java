package dev.parley.attachment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.attachment.image.TestImages;
import dev.parley.common.JobScheduler;
import dev.parley.support.TestClient;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;

/**
 * How image jobs share a node: a memory budget counted from each image's header (160 MB here, room for two of the
 * heavy images below at once), and one running job per uploader. {@code complete} does not wait for processing
 * here, so the test decides what is queued when.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "parley.data-dir=target/test-data/shared",
            "parley.attachments.complete-wait=0s",
            "parley.attachments.decode-memory-budget=160MB",
            "spring.datasource.hikari.maximum-pool-size=5"
        })
@ActiveProfiles("test")
class ImageJobSchedulingTest {

    @LocalServerPort
    private int port;

    @Autowired
    private JobScheduler scheduler;

    @Autowired
    private JdbcClient jdbc;

    private TestClient api;
    private Uploads uploads;

    @BeforeEach
    void client() {
        api = new TestClient("http://127.0.0.1:" + port);
        uploads = new Uploads(api);
    }

    @Test
    void anImageThatWouldNeedMoreMemoryThanTheWholeBudgetIsRefusedAtComplete() {
        TestClient.User alice = api.register("budget");
        // 16 MP of 16-bit RGBA with a profile: 8 bytes a pixel decoded, 4 more as 8-bit sRGB, 2 besides: 224 MB.
        byte[] png = TestImages.png16WithProfile(4000, 4000);
        UUID id = uploads.ticketAndPut(alice, "deep.png", "image/png", png).id();
        JsonNode refused = uploads.complete(alice, id)
                .expectError(422, "INVALID_ATTACHMENT")
                .json();
        assertThat(refused.path("message").asString())
                .contains("4000x4000")
                .contains("would need about 214 MB of memory")
                .contains("up to 160 MB");
    }

    /**
     * Alice queues four heavy images, then Bob one small one. Bob's must not wait behind Alice's: it completes
     * before Alice's second, that is within about the time of one heavy job. (Without one job per uploader, two of
     * Alice's run at once on the two workers and Bob's is queued behind the other two.)
     */
    @Test
    void oneUsersQueueOfHeavyImagesDoesNotHoldAnotherUsersImageBack() {
        TestClient.User alice = api.register("heavy");
        TestClient.User bob = api.register("light");
        byte[] heavy = TestImages.png16WithProfile(1800, 1800);
        byte[] light = TestImages.png(TestImages.photo(64, 64, 19));
        List<UUID> alices = new ArrayList<>();
        UUID bobs;
        // Queued while no worker picks anything, so the queue's order is exactly the order of the calls.
        scheduler.pause();
        try {
            for (int i = 0; i < 4; i++) {
                alices.add(uploads.ticketAndPut(alice, "heavy-" + i + ".png", "image/png", heavy)
                        .id());
            }
            bobs = uploads.ticketAndPut(bob, "light.png", "image/png", light).id();
            for (UUID id : alices) {
                uploads.complete(alice, id).expect(200);
            }
            uploads.complete(bob, bobs).expect(200);
        } finally {
            scheduler.resume();
        }
        List<UUID> all = new ArrayList<>(alices);
        all.add(bobs);
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> all.stream().allMatch(id -> "completed".equals(status(id))));

        List<Timestamp> alicesDone =
                alices.stream().map(this::completedAt).sorted().toList();
        assertThat(completedAt(bobs)).as("Bob's image, against Alice's second").isBefore(alicesDone.get(1));
    }

    private String status(UUID id) {
        return jdbc.sql("SELECT upload_status FROM message_attachments WHERE attachment_id = ?")
                .param(id)
                .query(String.class)
                .single();
    }

    private Timestamp completedAt(UUID id) {
        return jdbc.sql("SELECT completed_at FROM message_attachments WHERE attachment_id = ?")
                .param(id)
                .query(Timestamp.class)
                .single();
    }
}
