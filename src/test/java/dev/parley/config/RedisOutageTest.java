package dev.parley.config;

import static dev.parley.support.OutageChecks.assertDegraded;
import static dev.parley.support.OutageChecks.assertUnavailable;
import static dev.parley.support.OutageChecks.awaitRecovered;
import static dev.parley.support.OutageChecks.timed;
import static org.awaitility.Awaitility.await;

import dev.parley.common.Outages;
import dev.parley.support.CapturedLog;
import dev.parley.support.Chat;
import dev.parley.support.RedisServer;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Redis killed under a running node (a redis-server of the test's own) and started again: what needs Redis (a
 * presence read) is answered 503 with Retry-After at once, logged in one line per interval; chat goes on; readiness
 * answers 200 with {@code redis} DEGRADED, so a Redis blip never takes every node out of the load balancer; and it
 * all recovers by itself. Starts its own Redis, so it runs in CI's embedded pass only.
 */
@Tag("embedded-only")
class RedisOutageTest {

    private static final int READS = 10;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRedisOutageDegradesTheNodeWithoutMakingItUnready() {
        try (RedisServer redis = RedisServer.start();
                ConfigurableApplicationContext node = SendRun.startNode(
                        "--spring.data.redis.url=" + redis.url(),
                        "--parley.redis.prefix=parley-outage-" + UUID.randomUUID())) {
            TestClient api = SendRun.client(node);
            Chat chat = new Chat(api);
            TestClient.User alice = api.register("rdout");
            TestClient.User bob = api.register("rdout");
            UUID conversation = chat.direct(alice, bob);
            String presence = "/api/v1/users/" + bob.id() + "/presence";
            api.get(presence, alice.token()).expect(200);

            try (CapturedLog outages = CapturedLog.of(Outages.class)) {
                redis.kill();

                for (int i = 0; i < READS; i++) {
                    assertUnavailable(timed(() -> api.get(presence, alice.token())));
                }
                // Chat does not need Redis on one node: a send is stored and answered.
                chat.sendOk(alice, conversation, "while Redis is down");

                assertDegraded(api, "redis", "redis", READS, outages);
            }

            redis.restart();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> api.get(presence, alice.token()).status() == 200);
            awaitRecovered(api, "redis");
        }
    }
}
