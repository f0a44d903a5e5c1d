package dev.parley.push;

import static org.awaitility.Awaitility.await;

import dev.parley.support.Chat;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A message's commit wakes the idle notify consumer of its node: with an interval far longer than the wait allowed
 * here, the push still arrives at once. Its own embedded PostgreSQL, so that no other context reads this log.
 */
class NotifyWakeTest {

    @Test
    void aCommittedMessageIsPushedWithoutWaitingForTheInterval() throws Exception {
        try (FcmStandIn fcm = new FcmStandIn(Path.of("target/test-data/push-wake-standins"));
                ConfigurableApplicationContext node =
                        SendRun.startOwnNode("target/test-data/push-wake", fcmAndInterval(fcm))) {
            TestClient api = SendRun.client(node);
            TestClient.User sender = api.register("wake_s");
            TestClient.User member = api.register("wake_m");
            String token = PushTestContext.token("wake-");
            api.post("/api/v1/devices", member.token(), Map.of("platform", "fcm", "token", token))
                    .expect(201);
            UUID group = new Chat(api).group(sender, "Wake", member);
            new Chat(api).sendOk(sender, group, "at once");

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> fcm.to(token).stream()
                            .anyMatch(r -> r.status() == 200
                                    && r.message()
                                            .path("data")
                                            .path("body")
                                            .asString()
                                            .equals("at once")));
        }
    }

    private static String[] fcmAndInterval(FcmStandIn fcm) {
        return Stream.concat(fcm.serverArguments().stream(), Stream.of("--parley.push.interval=1h"))
                .toArray(String[]::new);
    }
}
