package dev.parley.attachment;

import static dev.parley.support.OutageChecks.assertDegraded;
import static dev.parley.support.OutageChecks.assertUnavailable;
import static dev.parley.support.OutageChecks.awaitRecovered;
import static dev.parley.support.OutageChecks.timed;
import static org.awaitility.Awaitility.await;

import dev.parley.attachment.image.TestImages;
import dev.parley.common.Outages;
import dev.parley.support.CapturedLog;
import dev.parley.support.Chat;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The object store (s3proxy, in this process, the node's S3) stopped under a running node and started again: what
 * needs it (completing an upload) is answered 503 with Retry-After within seconds and logged in one line per
 * interval; chat goes on; readiness answers 200 with {@code storage} DEGRADED; and once the store is back the same
 * upload completes. Starts its own S3 server and node, so it runs in CI's embedded pass only.
 */
@Tag("embedded-only")
class StorageOutageTest {

    private static final int ATTEMPTS = 5;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aStorageOutageDegradesTheNodeWithoutMakingItUnready() throws Exception {
        S3Proxy s3 = s3proxy();
        s3.start();
        try (ConfigurableApplicationContext node = SendRun.startNode(
                "--parley.storage.type=s3",
                "--parley.storage.s3.bucket=parley-outage",
                "--parley.storage.s3.path-style=true",
                "--parley.storage.s3.create-bucket=true",
                "--parley.storage.s3.access-key=parley-access",
                "--parley.storage.s3.secret-key=parley-secret",
                "--parley.storage.s3.endpoint=http://127.0.0.1:" + s3.getPort())) {
            TestClient api = SendRun.client(node);
            Uploads uploads = new Uploads(api);
            TestClient.User alice = api.register("s3out");
            TestClient.User bob = api.register("s3out");
            Uploads.Put put =
                    uploads.ticketAndPut(alice, "cat.png", "image/png", TestImages.png(TestImages.photo(40, 30, 7)));

            try (CapturedLog outages = CapturedLog.of(Outages.class)) {
                s3.stop();

                for (int i = 0; i < ATTEMPTS; i++) {
                    assertUnavailable(timed(() -> uploads.complete(alice, put.id())));
                }
                new Chat(api).sendOk(alice, new Chat(api).direct(alice, bob), "while the store is down");

                assertDegraded(api, "storage", "storage", ATTEMPTS, outages);
            }

            s3.start();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> uploads.complete(alice, put.id()).status() == 200);
            awaitRecovered(api, "storage");
        } finally {
            s3.stop();
        }
    }

    /** An S3 API on a fixed free port, so that it comes back where the node expects it. */
    private static S3Proxy s3proxy() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.identity", "parley-access");
        properties.setProperty("jclouds.credential", "parley-secret");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return S3Proxy.builder()
                .blobStore(BlobStores.create("transient", properties))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "parley-access", "parley-secret")
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .build();
    }
}
