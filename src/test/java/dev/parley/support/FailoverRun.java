package dev.parley.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Redis failover in the middle of sends, against two nodes that share that Redis: four clients send at once,
 * each alternating nodes, while {@code failover} runs (a master killed, or handed over); bob, with a socket on
 * node 2, is subscribed there for messages sent on node 1. Afterwards every acknowledged message is stored once
 * and in every member's sync (gaps in real-time delivery are what sync fills), and real-time delivery across the
 * nodes comes back by itself.
 */
public final class FailoverRun {

    private static final int SENDS_PER_PHASE = 6;

    private FailoverRun() {}

    /**
     * Runs it; {@code failover} gets bob's id and runs while sends are under way. Returns the {@link SendRun} for
     * further checks.
     */
    public static SendRun during(TestClient api1, TestClient api2, String prefix, Failover failover) throws Exception {
        List<TestClient> nodes = List.of(api1, api2);
        SendRun run = new SendRun();
        SendRun.Cast cast = run.cast(api1, api2, prefix);
        TestClient.User alice = cast.alice();
        TestClient.User bob = cast.bob();
        try (WsClient bobOn2 = WsClient.connect(api2, bob)) {
            SendRun.awaitDevices(api1, alice, bob, 1);
            SendRun.Ack before = run.send(attempt -> api1, alice, cast.aliceBob(), "before-failover");
            bobOn2.await(
                    "message.new",
                    m -> m.path("message").path("message_id").asString().equals(before.messageId()));

            run.inPhases(
                    cast.users(),
                    SENDS_PER_PHASE,
                    cast::target,
                    (user, n, attempt) ->
                            nodes.get(Math.floorMod(n + user.username().hashCode() + attempt, 2)),
                    () -> failover.run(bob));

            // Delivery across nodes resumes: a message sent on node 1 after the failover reaches bob on node 2.
            AtomicInteger probe = new AtomicInteger();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        run.send(attempt -> api1, alice, cast.aliceBob(), "after-failover-" + probe.incrementAndGet());
                        return bobOn2.received("message.new").stream()
                                .anyMatch(m -> m.path("message")
                                        .path("content")
                                        .asString()
                                        .startsWith("after-failover-"));
                    });
        }
        run.assertEverySyncHasEverything(api1, List.of(alice, bob));
        run.assertEverySyncHasEverything(api2, List.of(cast.carol(), cast.dave()));
        return run;
    }

    /** The disruption, given the user whose channel the test watches. */
    public interface Failover {
        void run(TestClient.User watched);
    }
}
