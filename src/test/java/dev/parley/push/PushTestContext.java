package dev.parley.push;

import dev.parley.support.Chat;
import dev.parley.support.TestClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The push and webhook tests' server: a PostgreSQL of its own (its notify consumer and workers must be the only
 * ones reading this log and queue), every provider pointed at a stand-in started here and speaking the real
 * protocol, and a webhook receiver. One context for every push test class (they extend this); tests isolate
 * themselves with fresh users and devices.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            // Test properties outrank SPRING_DATASOURCE_URL: the embedded server even in CI's external pass.
            "spring.datasource.url=",
            "parley.data-dir=target/test-data/push",
            "parley.push.interval=50ms",
            "parley.push.max-devices-per-user=3",
            "parley.push.webpush.allow-insecure-loopback=true",
            "parley.push.webpush.subject=mailto:ops@parley.test",
            "parley.webhook.secret=test-webhook-secret-0123456789",
            "parley.webhook.interval=50ms",
            "parley.webhook.max-backoff=1s"
        })
@ActiveProfiles("test")
abstract class PushTestContext {

    static final Path FOLDER = Path.of("target/test-data/push-standins");
    static final FcmStandIn FCM;
    static final ApnsStandIn APNS;
    static final WebPushStandIn WEB_PUSH;
    static final WebhookReceiver WEBHOOK;

    static {
        try {
            FCM = new FcmStandIn(FOLDER);
            APNS = new ApnsStandIn(FOLDER);
            WEB_PUSH = new WebPushStandIn();
            WEBHOOK = new WebhookReceiver();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void standIns(DynamicPropertyRegistry registry) {
        registry.add("parley.push.fcm.credentials-file", () -> FCM.credentials().toString());
        registry.add("parley.push.fcm.endpoint", FCM::base);
        registry.add("parley.push.fcm.token-uri", FCM::tokenUri);
        registry.add(
                "parley.push.apns.signing-key-file", () -> APNS.signingKey().toString());
        registry.add("parley.push.apns.key-id", () -> ApnsStandIn.KEY_ID);
        registry.add("parley.push.apns.team-id", () -> ApnsStandIn.TEAM_ID);
        registry.add("parley.push.apns.topic", () -> ApnsStandIn.TOPIC);
        registry.add("parley.push.apns.host", () -> "localhost");
        registry.add("parley.push.apns.port", APNS::port);
        registry.add(
                "parley.push.apns.trusted-certificate-file",
                () -> APNS.trustedCertificate().toString());
        registry.add("parley.webhook.url", WEBHOOK::url);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    TestClient api;
    Chat chat;

    @BeforeEach
    void client() {
        api = new TestClient("http://127.0.0.1:" + port);
        chat = new Chat(api);
    }

    /** Registers a device token on a platform; returns the device id. */
    UUID device(TestClient.User user, String platform, String token) {
        return api.post("/api/v1/devices", user.token(), Map.of("platform", platform, "token", token))
                .expect(201)
                .id("device_id");
    }

    UUID webPushDevice(TestClient.User user, WebPushStandIn.Subscriber subscriber) {
        return api.post(
                        "/api/v1/devices",
                        user.token(),
                        Map.of("platform", "webpush", "subscription", subscriber.subscription()))
                .expect(201)
                .id("device_id");
    }

    /**
     * Makes {@code changes} while holding the notify consumer's advisory lock, so that it reads none of them until
     * all have committed (its turns find the lock taken and read nothing); returns what {@code changes} does.
     */
    <T> T beforeTheConsumerReads(Callable<T> changes) throws Exception {
        try (Connection hold = dataSource.getConnection()) {
            hold.setAutoCommit(false);
            try (Statement statement = hold.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(hashtext('parley_notify_consumer'))");
            }
            T made = changes.call();
            hold.commit();
            return made;
        }
    }

    static String token(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }

    static List<String> ids(List<FcmStandIn.Request> requests, String field) {
        return requests.stream()
                .map(r -> r.message().path("data").path(field).asString())
                .toList();
    }
}
