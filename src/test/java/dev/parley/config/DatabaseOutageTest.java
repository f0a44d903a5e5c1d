package dev.parley.config;

import static dev.parley.support.OutageChecks.BOUND;
import static dev.parley.support.OutageChecks.assertUnavailable;
import static dev.parley.support.OutageChecks.metric;
import static dev.parley.support.OutageChecks.timed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.ParleyApplication;
import dev.parley.common.ApiExceptionHandler;
import dev.parley.common.Outages;
import dev.parley.support.CapturedLog;
import dev.parley.support.Chat;
import dev.parley.support.PostgresServer;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * PostgreSQL stopped under a running node (a cluster of the test's own, not the suite's): every request that needs
 * the database is answered 503 SERVICE_UNAVAILABLE with Retry-After within about two seconds, not the pool's 30 s,
 * REST and WebSocket alike, and logged in one line per interval, not a stack trace per request; readiness answers
 * within its probe's timeout and says DOWN; liveness stays UP; and once PostgreSQL is back everything recovers by
 * itself. Starts its own PostgreSQL, so it runs in CI's embedded pass only.
 */
@Tag("embedded-only")
class DatabaseOutageTest {

    private static final int ROUNDS = 3;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void anOutageIsA503WithinSecondsAndRecoversByItself() {
        try (PostgresServer postgres = PostgresServer.start()) {
            List<String> args =
                    new ArrayList<>(List.of("--server.port=0", "--parley.data-dir=target/test-data/outage-db"));
            args.addAll(postgres.datasourceArgs());
            try (ConfigurableApplicationContext node = new SpringApplicationBuilder(ParleyApplication.class)
                    .profiles("test")
                    .run(args.toArray(String[]::new))) {
                TestClient api = new TestClient(
                        "http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port"));
                Chat chat = new Chat(api);
                TestClient.User alice = api.register("dbout");
                TestClient.User bob = api.register("dbout");
                UUID conversation = chat.direct(alice, bob);
                chat.sendOk(alice, conversation, "before the outage");

                try (WsClient socket = WsClient.connect(api, alice);
                        CapturedLog outages = CapturedLog.of(Outages.class);
                        CapturedLog unexpected = CapturedLog.of(ApiExceptionHandler.class);
                        CapturedLog frames = CapturedLog.of("dev.parley.realtime.FrameDispatcher")) {
                    postgres.stop();

                    // Every attempt, not only the first, is answered quickly.
                    for (int i = 0; i < ROUNDS; i++) {
                        assertUnavailable(timed(() -> chat.send(alice, conversation, "during")));
                        assertUnavailable(timed(() -> api.get("/api/v1/conversations", bob.token())));
                    }

                    long started = System.nanoTime();
                    socket.send(
                            "message.send",
                            Map.of(
                                    "conversation_id",
                                    conversation.toString(),
                                    "type",
                                    "text",
                                    "content",
                                    "over the socket",
                                    "client_message_id",
                                    "ws-during"));
                    var error = socket.await(
                            "error",
                            e -> "ws-during".equals(e.path("client_message_id").asString()));
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(BOUND);
                    assertThat(error.path("code").asString()).isEqualTo("SERVICE_UNAVAILABLE");
                    assertThat(error.path("details").path("retry_after").asInt())
                            .isPositive();

                    TestClient.Resp ready = timed(() -> api.get("/health/ready", null));
                    assertThat(ready.status()).isEqualTo(503);
                    assertThat(ready.json()
                                    .path("components")
                                    .path("db")
                                    .path("status")
                                    .asString())
                            .isEqualTo("DOWN");
                    api.get("/health/live", null).expect(200);
                    assertThat(metric(api, "dependency_up", "dependency", "database"))
                            .isZero();
                    assertThat(metric(api, "service_unavailable_total", "dependency", "database"))
                            .isGreaterThanOrEqualTo(2 * ROUNDS + 1);

                    // One line per ten seconds for all those refusals, none with a stack trace; nothing "unexpected".
                    assertThat(outages.messages())
                            .isNotEmpty()
                            .hasSizeLessThan(2 * ROUNDS + 1)
                            .allSatisfy(line -> assertThat(line).startsWith("database_unavailable refused="));
                    assertThat(outages.anyStackTrace()).isFalse();
                    assertThat(unexpected.messages()).isEmpty();
                    assertThat(frames.messages()).isEmpty();

                    postgres.startAgain();
                    await().atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(250))
                            .until(() -> chat.send(alice, conversation, "after").status() == 201);
                    api.get("/health/ready", null).expect(200);
                    assertThat(metric(api, "dependency_up", "dependency", "database"))
                            .isOne();
                    socket.send(
                            "message.send",
                            Map.of(
                                    "conversation_id",
                                    conversation.toString(),
                                    "type",
                                    "text",
                                    "content",
                                    "over the socket, after",
                                    "client_message_id",
                                    "ws-after"));
                    socket.await(
                            "message.ack",
                            a -> "ws-after".equals(a.path("client_message_id").asString()));
                }
            }
        }
    }
}
