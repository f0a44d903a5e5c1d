package dev.parley.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.Chat;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Nodes configured differently share one push queue: node A has FCM (the stand-in), node B has none and looks at
 * the queue far more often. B must leave FCM pushes to A instead of claiming and dropping them; a push no node can
 * send (APNs, configured on neither) waits until it expires, and is counted. Both nodes on one embedded PostgreSQL
 * of their own, so that no other context's worker takes this queue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PushPlatformsAcrossNodesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private FcmStandIn fcm;
    private ConfigurableApplicationContext withFcm;
    private ConfigurableApplicationContext withoutFcm;
    private TestClient apiA;
    private TestClient apiB;

    @BeforeAll
    void startNodes() throws Exception {
        fcm = new FcmStandIn(Path.of("target/test-data/push-platforms-standins"));
        List<String> fcmNode = new ArrayList<>(List.of("--parley.push.interval=1s"));
        fcmNode.addAll(fcm.serverArguments());
        withFcm = start(fcmNode.toArray(String[]::new));
        withoutFcm = start("--parley.push.interval=50ms");
        apiA = SendRun.client(withFcm);
        apiB = SendRun.client(withoutFcm);
    }

    @AfterAll
    void stopNodes() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {withoutFcm, withFcm, fcm}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    /** A node on the test's own embedded PostgreSQL, its pushes expiring after 5 s. */
    private static ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(List.of("--parley.push.expiry=5s"));
        args.addAll(List.of(extra));
        return SendRun.startOwnNode("target/test-data/push-platforms", args.toArray(String[]::new));
    }

    /** The node's {@code push_failed_total} series for {@code provider}, from its Prometheus endpoint. */
    private static List<String> failed(TestClient api, String provider) {
        return api.get("/metrics", null)
                .raw()
                .lines()
                .filter(line -> line.startsWith("push_failed_total{"))
                .filter(line -> line.contains("provider=\"" + provider + "\""))
                .toList();
    }

    @Test
    void aNodeWithoutFcmLeavesFcmPushesToTheNodeWithIt() {
        TestClient.User sender = apiB.register("platf_s");
        List<TestClient.User> members = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TestClient.User member = apiB.register("platf_m");
            String token = PushTestContext.token("platforms-");
            apiB.post("/api/v1/devices", member.token(), Map.of("platform", "fcm", "token", token))
                    .expect(201);
            members.add(member);
            tokens.add(token);
        }
        Chat chat = new Chat(apiB);
        List<String> bodies = new ArrayList<>();
        for (int g = 0; g < 3; g++) {
            UUID group = chat.group(sender, "Platforms " + g, members.toArray(TestClient.User[]::new));
            String body = "to group " + g;
            chat.sendOk(sender, group, body);
            bodies.add(body);
        }

        await().atMost(WAIT)
                .until(() -> tokens.stream()
                        .allMatch(t -> fcm.to(t).stream()
                                        .filter(r -> r.status() == 200)
                                        .count()
                                == bodies.size()));
        assertThat(tokens)
                .allSatisfy(t -> assertThat(fcm.to(t))
                        .extracting(r -> r.message().path("data").path("body").asString())
                        .containsExactlyInAnyOrderElementsOf(bodies));
        assertThat(failed(apiB, "fcm")).isEmpty();
        assertThat(failed(apiA, "fcm")).isEmpty();
    }

    @Test
    void aPushNoNodeCanSendWaitsUntilItExpiresAndIsCounted() {
        TestClient.User sender = apiB.register("platf_x");
        TestClient.User member = apiB.register("platf_y");
        UUID device = apiB.post(
                        "/api/v1/devices",
                        member.token(),
                        Map.of("platform", "apns", "token", PushTestContext.token("platforms-apns-")))
                .expect(201)
                .id("device_id");
        UUID group = new Chat(apiB).group(sender, "Nobody sends APNs", member);
        new Chat(apiB).sendOk(sender, group, "never delivered");

        JdbcClient jdbc = withFcm.getBean(JdbcClient.class);
        // Queued, and left there: neither node claims a push it cannot send.
        await().atMost(WAIT).until(() -> queued(jdbc, device) == 1);
        await().atMost(WAIT)
                .until(() -> Stream.of(apiA, apiB)
                        .flatMap(api -> failed(api, "apns").stream())
                        .anyMatch(line -> line.contains("reason=\"expired\"")));
        assertThat(queued(jdbc, device)).isZero();
    }

    private static long queued(JdbcClient jdbc, UUID device) {
        return jdbc.sql("SELECT count(*) FROM push_queue WHERE device_id = :device")
                .param("device", device)
                .query(Long.class)
                .single();
    }
}
