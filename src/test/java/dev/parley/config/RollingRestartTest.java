package dev.parley.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.support.ParleyProcess;
import dev.parley.support.RollingClient;
import dev.parley.support.RollingRestart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rolling restart behind HAProxy loses nothing: two nodes, each a JVM of its own started from this run's classes
 * and stopped with SIGTERM (the graceful shutdown an orchestrator triggers), sharing a PostgreSQL the test starts
 * and the local Redis; WebSocket clients send and receive through HAProxy while node 1 and then node 2 restart,
 * reconnect to whichever node the balancer picks and catch up with {@code /sync} from their cursor. Once in CI
 * (embedded-only: it brings its own database). Skipped without Redis or HAProxy, except on CI.
 */
@Tag("embedded-only")
class RollingRestartTest {

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void restartingEachNodeInTurnLosesNothing() throws Exception {
        Path work = Files.createDirectories(Path.of("target/rolling-restart").toAbsolutePath());
        RollingRestart.Settings settings = new RollingRestart.Settings(
                ParleyProcess.classpath(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")),
                Files.createTempDirectory(work, "run-"),
                6,
                Duration.ofMillis(250),
                Duration.ofSeconds(2));
        try (RollingRestart run = RollingRestart.start(settings)) {
            run.startClients();
            for (int node = 1; node <= 2; node++) {
                RollingRestart.Stop stop = run.restart(node);
                assertThat(stop.outOfRotationWhileAlive())
                        .as("node %d out of HAProxy's rotation (readiness down) before it ended", node)
                        .isTrue();
                assertThat(stop.exitStatus())
                        .as("node %d ended by its SIGTERM within the bound", node)
                        .isEqualTo(143);
                run.awaitProgress(Duration.ofSeconds(60));
            }
            run.finish(Duration.ofSeconds(60));

            run.assertEveryAckStoredOnce();
            run.assertEveryClientHasEverything();
            for (RollingClient client : run.clients()) {
                String who = client.user().username();
                assertThat(client.problems()).as("problems of %s", who).isEmpty();
                assertThat(client.connected())
                        .as("%s connected at the end", who)
                        .isTrue();
                assertThat(client.closeCodes())
                        .as("%s was moved off a stopping node, with 1001 each time", who)
                        .isNotEmpty()
                        .containsOnly(1001);
            }
            for (int node = 1; node <= 2; node++) {
                assertThat(Files.readString(run.log(node)))
                        .as("node %d closed its sockets after their frames in flight", node)
                        .contains("websocket_shutdown")
                        .contains("frames_finished=true sockets_closed=true");
            }
        }
    }
}
