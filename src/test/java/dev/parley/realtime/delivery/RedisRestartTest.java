package dev.parley.realtime.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.support.RedisServer;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Redis is a hint, PostgreSQL the truth: two nodes share a Redis of the test's own, which is killed in the middle
 * of a run of sends from several clients over both nodes and started again, empty, on the same port. Every
 * acknowledged message is stored once, seqs stay gapless, every client's sync returns everything, and real-time
 * delivery across nodes comes back by itself.
 */
class RedisRestartTest {

    private static final int SENDS_PER_PHASE = 8;

    private static double publishFailures(ConfigurableApplicationContext node) {
        return node.getBean(MeterRegistry.class)
                .counter("redis.publish.failures")
                .count();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void sendsSurviveARedisRestartAndSyncReturnsEverything() throws Exception {
        RedisServer redis = RedisServer.start();
        ConfigurableApplicationContext node1 = null;
        ConfigurableApplicationContext node2 = null;
        try {
            String prefix = "parley-restart-" + UUID.randomUUID();
            node1 = SendRun.startNode("--spring.data.redis.url=" + redis.url(), "--parley.redis.prefix=" + prefix);
            node2 = SendRun.startNode("--spring.data.redis.url=" + redis.url(), "--parley.redis.prefix=" + prefix);
            TestClient api1 = SendRun.client(node1);
            TestClient api2 = SendRun.client(node2);
            List<TestClient> nodes = List.of(api1, api2);

            SendRun run = new SendRun();
            SendRun.Cast cast = run.cast(api1, api2, "rrestart");
            TestClient.User alice = cast.alice();
            TestClient.User bob = cast.bob();

            try (WsClient bobOn2 = WsClient.connect(api2, bob)) {
                // Bob's device is subscribed on node 2 once presence (in Redis) counts it.
                SendRun.awaitDevices(api1, alice, bob, 1);
                SendRun.Ack before = run.send(attempt -> api1, alice, cast.aliceBob(), "before-restart");
                bobOn2.await(
                        "message.new",
                        m -> m.path("message").path("message_id").asString().equals(before.messageId()));

                // Sends from four clients at once, each alternating nodes: Redis killed (SIGKILL, by PID) while
                // sends are in flight, sends while it is down, a new empty Redis started on the same port while
                // sends are in flight, sends after.
                run.inPhases(
                        cast.users(),
                        SENDS_PER_PHASE,
                        cast::target,
                        (user, n, attempt) ->
                                nodes.get(Math.floorMod(n + user.username().hashCode() + attempt, 2)),
                        () -> {
                            redis.kill();
                            // A socket send on node 2 while Redis is down is acknowledged too.
                            run.sendOverSocket(bobOn2, cast.group(), "socket-during-outage");
                        },
                        redis::restart);
                // Sends did meet the outage: their publishes failed (and were only a hint).
                assertThat(publishFailures(node1) + publishFailures(node2)).isPositive();

                run.sendOverSocket(bobOn2, cast.aliceBob(), "socket-after-restart");

                // Real-time delivery across nodes comes back once the subscriptions are restored in the new Redis.
                AtomicInteger probe = new AtomicInteger();
                await().atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                            // Any probe counts: every one of them was sent after the restart.
                            run.send(
                                    attempt -> api1,
                                    alice,
                                    cast.aliceBob(),
                                    "after-restart-" + probe.incrementAndGet());
                            return bobOn2.received("message.new").stream()
                                    .anyMatch(m -> m.path("message")
                                            .path("content")
                                            .asString()
                                            .startsWith("after-restart-"));
                        });
            }

            // Every client's sync, through either node, returns every message once with gapless seqs.
            run.assertEverySyncHasEverything(api1, List.of(alice, bob));
            run.assertEverySyncHasEverything(api2, List.of(cast.carol(), cast.dave()));
        } finally {
            try {
                if (node2 != null) {
                    node2.close();
                }
                if (node1 != null) {
                    node1.close();
                }
            } finally {
                redis.close();
            }
        }
    }
}
