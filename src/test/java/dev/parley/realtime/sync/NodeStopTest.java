package dev.parley.realtime.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two nodes (PostgreSQL only, no Redis) take sends with client_message_id from several clients, alternating
 * nodes; one node is stopped in the middle of the run. A client whose request fails or times out retries the same
 * client_message_id on the other node. In the end acknowledged = stored, no duplicates, seqs gapless.
 */
class NodeStopTest {

    private static final int SENDS_PER_PHASE = 10;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void retriesOnTheOtherNodeLeaveNoDuplicatesAndNoGaps() throws Exception {
        // Blank overrides a SPRING_DATA_REDIS_URL from the environment: this test needs PostgreSQL only.
        ConfigurableApplicationContext node1 = SendRun.startNode("--spring.data.redis.url=");
        ConfigurableApplicationContext node2 = null;
        try {
            node2 = SendRun.startNode("--spring.data.redis.url=");
            TestClient api1 = SendRun.client(node1);
            TestClient api2 = SendRun.client(node2);
            List<TestClient> nodes = List.of(api1, api2);

            SendRun run = new SendRun();
            SendRun.Cast cast = run.cast(api1, api2, "nodestop");

            // Sends alternate nodes from one to the next; a failed attempt moves to the other node. Node 2 is
            // closed while sends are in flight, and the sends after it must all fail over.
            ConfigurableApplicationContext stopped = node2;
            run.inPhases(
                    cast.users(),
                    SENDS_PER_PHASE,
                    cast::target,
                    (user, n, attempt) -> nodes.get((n + attempt) % 2),
                    stopped::close);
            assertThat(run.failedAttempts())
                    .as("attempts that met the stopped node")
                    .isPositive();
            assertThat(node2.isActive()).isFalse();

            // acknowledged = stored, duplicates = 0, seqs 1..N: checked in every client's sync on the surviving node.
            run.assertEverySyncHasEverything(api1, cast.users());
        } finally {
            if (node2 != null) {
                node2.close();
            }
            node1.close();
        }
    }
}
