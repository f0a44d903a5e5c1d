package dev.parley.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.Chat;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node stops while pushes wait in the queue (the provider answered 503 with Retry-After); the next node to start
 * on the same database sends them, once each. A real restart: two application runs over one data folder.
 */
class QueueRestartTest {

    private static final String DATA = "target/test-data/push-restart";

    /**
     * Its own embedded PostgreSQL in both CI passes: on a shared database, other live test contexts' push workers
     * would claim these pushes.
     */
    private static ConfigurableApplicationContext start() {
        List<String> args = new ArrayList<>(List.of("--parley.push.interval=50ms", "--parley.push.lease=2s"));
        args.addAll(PushTestContext.FCM.serverArguments());
        return SendRun.startOwnNode(DATA, args.toArray(String[]::new));
    }

    @Test
    void pushesQueuedWhenANodeStopsAreSentByTheNextOneOnceEach() {
        FcmStandIn fcm = PushTestContext.FCM;
        List<String> tokens = new ArrayList<>();
        ConfigurableApplicationContext first = start();
        try {
            TestClient api = SendRun.client(first);
            Chat chat = new Chat(api);
            TestClient.User sender = api.register("restart_s");
            List<TestClient.User> members = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                TestClient.User member = api.register("restart_m");
                String token = PushTestContext.token("restart-");
                // Busy at first: each push waits in the queue for the provider's Retry-After (1 s).
                fcm.answer(token, 503, 503);
                api.post("/api/v1/devices", member.token(), Map.of("platform", "fcm", "token", token))
                        .expect(201);
                members.add(member);
                tokens.add(token);
            }
            UUID group = chat.group(sender, "Restart", members.toArray(TestClient.User[]::new));
            chat.sendOk(sender, group, "survives a restart");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> tokens.stream().allMatch(t -> !fcm.to(t).isEmpty()));
        } finally {
            first.close();
        }
        assertThat(tokens)
                .allSatisfy(t -> assertThat(fcm.to(t))
                        .extracting(FcmStandIn.Request::status)
                        .doesNotContain(200));

        ConfigurableApplicationContext second = start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() ->
                            tokens.stream().allMatch(t -> fcm.to(t).stream().anyMatch(r -> r.status() == 200)));
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> tokens.stream()
                            .allMatch(t -> fcm.to(t).stream()
                                            .filter(r -> r.status() == 200)
                                            .count()
                                    == 1));
            assertThat(tokens)
                    .allSatisfy(t -> assertThat(fcm.to(t)
                                    .getLast()
                                    .message()
                                    .path("data")
                                    .path("body")
                                    .asString())
                            .isEqualTo("survives a restart"));
        } finally {
            second.close();
        }
    }
}
