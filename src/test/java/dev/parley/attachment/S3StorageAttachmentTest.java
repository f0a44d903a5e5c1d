package dev.parley.attachment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.attachment.image.TestImages;
import dev.parley.common.JobScheduler;
import dev.parley.storage.ObjectStorage;
import dev.parley.support.TestClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The same flow against a real S3 API: s3proxy in this process, checking AWS signatures (V4 for the SDK's
 * pre-signed URLs). Clients upload to and download from the store itself, never through Parley.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "parley.data-dir=target/test-data/shared",
            "parley.storage.type=s3",
            "parley.storage.s3.bucket=parley-test",
            "parley.storage.s3.path-style=true",
            "parley.storage.s3.create-bucket=true",
            "parley.storage.s3.access-key=parley-access",
            "parley.storage.s3.secret-key=parley-secret",
            "spring.datasource.hikari.maximum-pool-size=5"
        })
@ActiveProfiles("test")
class S3StorageAttachmentTest implements AttachmentFlowContract {

    private static final S3Proxy S3 = start();

    @LocalServerPort
    private int port;

    private TestClient api;

    @Autowired
    private ObjectStorage storage;

    @Autowired
    private QuarantineSweep sweep;

    @Autowired
    private JobScheduler scheduler;

    @DynamicPropertySource
    static void s3(DynamicPropertyRegistry registry) {
        registry.add("parley.storage.s3.endpoint", () -> "http://127.0.0.1:" + S3.getPort());
    }

    @BeforeEach
    void client() {
        api = new TestClient("http://127.0.0.1:" + port);
    }

    @Override
    public TestClient api() {
        return api;
    }

    @Override
    public ObjectStorage storage() {
        return storage;
    }

    @Override
    public QuarantineSweep quarantineSweep() {
        return sweep;
    }

    @AfterAll
    static void stop() throws Exception {
        // The context (cached for other classes with the same settings) keeps the endpoint; this class is its
        // only user, so the store can go with it.
        S3.stop();
    }

    @Test
    void uploadUrlsAreSignedByS3ForTheDeclaredTypeAndGoStraightToTheStore() {
        TestClient.User alice = api.register("s3");
        JsonNode ticket =
                uploads().ticket(alice, "a.png", "image/png", 1234).expect(200).json();
        String url = ticket.path("upload_url").asString();
        assertThat(url).startsWith("http://127.0.0.1:" + S3.getPort() + "/parley-test/quarantine/");
        assertThat(url).contains("X-Amz-Signature=").contains("X-Amz-Expires=");
        assertThat(url).containsIgnoringCase("content-type");
        assertThat(ticket.path("expires_in").asLong()).isBetween(890L, 900L);
    }

    @Test
    void aDownloadUrlStopsWorkingWhenTheImageIsDeleted() {
        TestClient.User alice = api.register("s3");
        JsonNode attachment =
                uploads().upload(alice, "gone.png", "image/png", TestImages.png(TestImages.photo(30, 30, 9)));
        UUID conversation = chat().direct(alice, api.register("s3"));
        JsonNode message = uploads()
                .sendImage(alice, conversation, attachment.path("attachment_id").asString(), null, null)
                .expect(201)
                .json();
        String url = message.path("metadata").path("image_url").asString();
        assertThat(Uploads.download(url).status()).isEqualTo(200);
        api.delete("/api/v1/messages/" + message.path("message_id").asString(), alice.token())
                .expect(204);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(Uploads.download(url).status()).isEqualTo(404));
    }

    /**
     * S3 takes a PUT to a signed URL until it expires, even after {@code complete}: what is processed must be the
     * bytes {@code complete} checked. Here the second PUT is a damaged copy, which would fail processing.
     */
    @Test
    void aPutAfterCompleteDoesNotChangeWhatIsProcessed() {
        TestClient.User alice = api.register("s3");
        byte[] png = TestImages.png(TestImages.photo(80, 60, 21));
        Uploads.Put put;
        scheduler.pause();
        try {
            put = uploads().ticketAndPut(alice, "checked.png", "image/png", png);
            assertThat(uploads()
                            .complete(alice, put.id())
                            .expect(200)
                            .json()
                            .path("upload_status")
                            .asString())
                    .isEqualTo("processing");
            byte[] damaged = png.clone();
            for (int i = png.length / 3; i < png.length * 2 / 3; i++) {
                damaged[i] ^= 0x5a;
            }
            assertThat(Uploads.put(put.ticket(), damaged)).isEqualTo(200);
        } finally {
            scheduler.resume();
        }
        JsonNode done = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> api.get("/api/v1/messages/attachments/" + put.id(), alice.token())
                                .expect(200)
                                .json(),
                        json -> !"processing".equals(json.path("upload_status").asString()));
        assertThat(done.path("upload_status").asString()).isEqualTo("completed");
        assertThat(Uploads.download(done.path("url").asString()).image().getWidth())
                .isEqualTo(80);
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static S3Proxy start() {
        try {
            Properties properties = new Properties();
            properties.setProperty("jclouds.identity", "parley-access");
            properties.setProperty("jclouds.credential", "parley-secret");
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(BlobStores.create("transient", properties))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "parley-access", "parley-secret")
                    .endpoint(URI.create("http://127.0.0.1:" + freePort()))
                    .build();
            // start() returns once Jetty listens. (No Awaitility here: its poller thread would wait for this
            // class's initialisation, which waits for it.)
            proxy.start();
            assertThat(proxy.getState()).isEqualTo("STARTED");
            return proxy;
        } catch (Exception e) {
            throw new IllegalStateException("s3proxy did not start", e);
        }
    }
}
