package dev.parley.config;

import static dev.parley.support.OutageChecks.metric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.ParleyApplication;
import dev.parley.support.Chat;
import dev.parley.support.PostgresServer;
import dev.parley.support.RedisServer;
import dev.parley.support.SendRun;
import dev.parley.support.TestClient;
import dev.parley.support.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A real primary and a streaming replica of it ({@code pg_basebackup -R}), started by the test on free ports, and
 * a node with {@code parley.datasource.replica.url}: history, the conversation list, search and sync are served by
 * the replica (its own {@code pg_stat_statements} counts their statements); a sender reads their message at once,
 * while the replica cannot have it (its replay paused); a paused replica is bypassed once its lag passes the limit
 * and used again after it resumes; a stopped replica is bypassed without a client error, and used again once it
 * is back; a server in the list that is not a standby is never used. Starts its own PostgreSQL servers, so it
 * runs in CI's embedded pass only.
 */
@Tag("embedded-only")
class ReadReplicaTest {

    /** Statements of each read path; the probe's and the statistics' own never match. */
    private static final String HISTORY = "ORDER BY m.seq DESC LIMIT";

    private static final String LIST = "ORDER BY c.last_message_at DESC, c.conversation_id DESC";
    private static final String SEARCH = "websearch_to_tsquery";
    private static final String SYNC = "pg_snapshot_xmin(pg_current_snapshot())";

    private static final Duration MAX_LAG = Duration.ofSeconds(6);

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void readsUseTheReplicaKeepReadYourWritesAndGoAroundALaggingOrLostReplica() {
        try (PostgresServer primary = PostgresServer.startPrimary();
                PostgresServer replica = primary.replica()) {
            List<String> args = args(primary, replica, "replica-db");
            // A list, whose second entry is the primary itself: not a standby, so it must never serve a read.
            args.replaceAll(
                    arg -> arg.startsWith("--parley.datasource.replica.url=") ? arg + "," + primary.jdbcUrl() : arg);
            try (ConfigurableApplicationContext node = start(args)) {
                TestClient api = SendRun.client(node);
                Chat chat = new Chat(api);
                String name = replica.jdbcUrl().substring("jdbc:postgresql://".length());
                TestClient.User alice = api.register("replica");
                TestClient.User bob = api.register("replica");
                UUID conversation = chat.direct(alice, bob);
                chat.sendOk(alice, conversation, "hello from the primary");
                awaitUsable(api, name, true);
                String notStandby = primary.jdbcUrl().substring("jdbc:postgresql://".length());
                assertThat(metric(api, "database_replica_usable", "replica", notStandby))
                        .isZero();
                // /health names them by position and says their state, never their host; readiness ignores them.
                awaitHealth(api, 1, "UP", "up", "replica", name, notStandby);
                awaitHealth(api, 2, "DEGRADED", "not_standby", "primary", name, notStandby);
                assertThat(api.get("/health/ready", null).expect(200).text("status"))
                        .isEqualTo("UP");

                // Bob wrote nothing: each of his reads is served by the replica, once it has the message.
                await().atMost(Duration.ofSeconds(15))
                        .untilAsserted(() -> assertThat(
                                        served(replica, HISTORY, () -> texts(chat.history(bob, conversation))))
                                .contains("hello from the primary"));
                assertThat(served(replica, HISTORY, () -> texts(chat.history(bob, conversation))))
                        .contains("hello from the primary");
                assertThat(served(
                                replica,
                                LIST,
                                () -> api.get("/api/v1/conversations", bob.token())
                                        .expect(200)
                                        .json()
                                        .path("conversations")
                                        .get(0)
                                        .path("conversation_id")
                                        .asString()))
                        .isEqualTo(conversation.toString());
                await().atMost(Duration.ofSeconds(15))
                        .untilAsserted(() -> assertThat(
                                        served(replica, SEARCH, () -> texts(chat.search(bob, conversation, "primary"))))
                                .contains("hello from the primary"));
                assertThat(served(replica, SYNC, () -> sync(api, bob))).contains("hello from the primary");

                // Replay paused: the replica stays in use until its lag passes the limit, but cannot have what
                // Alice sends now. Her own reads right after the send still show it (the primary serves them).
                replica.sql("SELECT pg_wal_replay_pause()");
                chat.sendOk(alice, conversation, "fresh while paused");
                assertThat(notServed(replica, HISTORY, () -> texts(chat.history(alice, conversation))))
                        .contains("fresh while paused");
                assertThat(notServed(replica, SYNC, () -> sync(api, alice))).contains("fresh while paused");
                assertThat(notServed(
                                replica,
                                LIST,
                                () -> api.get("/api/v1/conversations", alice.token())
                                        .expect(200)
                                        .json()
                                        .path("conversations")
                                        .get(0)
                                        .path("last_message")
                                        .path("content")
                                        .asString()))
                        .isEqualTo("fresh while paused");

                // Once the lag passes the limit the replica is bypassed: Bob reads the primary, and sees it all.
                awaitUsable(api, name, false);
                assertThat(metric(api, "database_replica_lag_seconds", "replica", name))
                        .isGreaterThan(MAX_LAG.toSeconds());
                assertThat(awaitHealth(api, 1, "LAGGING", "lagging", "primary", name, notStandby)
                                .path("details")
                                .path("lag_seconds")
                                .asDouble())
                        .isGreaterThan(MAX_LAG.toSeconds());
                assertThat(notServed(replica, HISTORY, () -> texts(chat.history(bob, conversation))))
                        .contains("fresh while paused");

                // Resumed, it catches up and serves Bob again.
                replica.sql("SELECT pg_wal_replay_resume()");
                awaitUsable(api, name, true);
                assertThat(metric(api, "database_replica_lag_seconds", "replica", name))
                        .isLessThanOrEqualTo(MAX_LAG.toSeconds());
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(
                                        served(replica, HISTORY, () -> texts(chat.history(bob, conversation))))
                                .contains("fresh while paused"));

                // Stopped: no client error, not even on the first read after; bypassed, and used again once back.
                replica.stop();
                assertThat(texts(chat.history(bob, conversation))).contains("fresh while paused");
                assertThat(api.get("/api/v1/conversations", bob.token()).status())
                        .isEqualTo(200);
                assertThat(texts(chat.search(bob, conversation, "primary"))).contains("hello from the primary");
                assertThat(sync(api, bob)).contains("fresh while paused");
                awaitUsable(api, name, false);
                assertThat(awaitHealth(api, 1, "DEGRADED", "down", "primary", name, notStandby)
                                .path("details")
                                .has("lag_seconds"))
                        .isFalse();
                chat.sendOk(alice, conversation, "while the replica is down");
                assertThat(texts(chat.history(bob, conversation))).contains("while the replica is down");
                assertThat(metric(api, "hikaricp_connections_max", "pool", "parley-replica-" + name))
                        .isPositive();
                assertThat(metric(api, "database_replica_usable", "replica", notStandby))
                        .isZero();

                replica.startAgain();
                awaitUsable(api, name, true);
                awaitHealth(api, 1, "UP", "up", "replica", name, notStandby);
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(
                                        served(replica, HISTORY, () -> texts(chat.history(bob, conversation))))
                                .contains("while the replica is down"));
            }
        }
    }

    /**
     * Two nodes sharing one Redis: a message sent over one node's WebSocket is read at once through the other node,
     * whose replica cannot have it yet (replay paused), because the sender's write is known across nodes.
     */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aWriteThroughOneNodeIsReadThroughAnother() throws Exception {
        try (PostgresServer primary = PostgresServer.startPrimary();
                PostgresServer replica = primary.replica();
                RedisServer redis = RedisServer.start()) {
            List<String> args = args(primary, replica, "replica-nodes");
            args.add("--spring.data.redis.url=" + redis.url());
            args.add("--parley.redis.prefix=parley-replica-" + UUID.randomUUID());
            try (ConfigurableApplicationContext node1 = start(args);
                    ConfigurableApplicationContext node2 = start(args)) {
                TestClient api1 = SendRun.client(node1);
                TestClient api2 = SendRun.client(node2);
                Chat chat2 = new Chat(api2);
                String name = replica.jdbcUrl().substring("jdbc:postgresql://".length());
                TestClient.User alice = api1.register("replica");
                TestClient.User bob = api1.register("replica");
                UUID conversation = new Chat(api1).direct(alice, bob);
                awaitUsable(api2, name, true);
                await().atMost(Duration.ofSeconds(15))
                        .untilAsserted(() -> served(replica, HISTORY, () -> chat2.history(alice, conversation)));

                replica.sql("SELECT pg_wal_replay_pause()");
                try (WsClient socket = WsClient.connect(api1, alice)) {
                    socket.send(
                            "message.send",
                            Map.of(
                                    "conversation_id", conversation.toString(),
                                    "type", "text",
                                    "content", "sent through node 1",
                                    "client_message_id", "across"));
                    socket.await(
                            "message.ack",
                            a -> "across".equals(a.path("client_message_id").asString()));
                }
                assertThat(notServed(replica, HISTORY, () -> texts(chat2.history(alice, conversation))))
                        .contains("sent through node 1");
                assertThat(served(replica, HISTORY, () -> texts(chat2.history(bob, conversation))))
                        .doesNotContain("sent through node 1");
                assertThat(metric(api2, "database_replica_usable", "replica", name))
                        .isOne();
                replica.sql("SELECT pg_wal_replay_resume()");
            }
        }
    }

    /** A node on {@code primary} reading from {@code replica}, lag limit {@link #MAX_LAG}, probed every 200 ms. */
    private static List<String> args(PostgresServer primary, PostgresServer replica, String dataDir) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--parley.data-dir=target/test-data/" + dataDir,
                "--parley.datasource.replica.url=" + replica.jdbcUrl(),
                "--parley.datasource.replica.max-lag=" + MAX_LAG.toSeconds() + "s",
                "--parley.datasource.replica.probe-interval=200ms"));
        args.addAll(primary.datasourceArgs());
        return args;
    }

    private static ConfigurableApplicationContext start(List<String> args) {
        return new SpringApplicationBuilder(ParleyApplication.class)
                .profiles("test")
                .run(args.toArray(String[]::new));
    }

    private static void awaitUsable(TestClient api, String replica, boolean usable) {
        await("replica " + replica + (usable ? " in use" : " bypassed"))
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> metric(api, "database_replica_usable", "replica", replica) == (usable ? 1 : 0));
    }

    /**
     * Waits until {@code /health} shows replica {@code n} with {@code status}, and {@code /health/replication}
     * its {@code state} and where reads go, both answering 200 and naming none of the {@code hidden} servers; returns
     * the component with its details.
     */
    private static JsonNode awaitHealth(
            TestClient api, int n, String status, String state, String reads, String... hidden) {
        String component = "replica-" + n;
        return await(component + " " + state)
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            TestClient.Resp all = api.get("/health", null).expect(200);
                            TestClient.Resp replicas =
                                    api.get("/health/replication", null).expect(200);
                            for (String server : hidden) {
                                assertThat(all.raw()).doesNotContain(server);
                                assertThat(replicas.raw()).doesNotContain(server);
                            }
                            JsonNode shown = replicas.json()
                                    .path("components")
                                    .path("replicas")
                                    .path("components")
                                    .path(component);
                            boolean agree = all.json()
                                    .path("components")
                                    .path("replicas")
                                    .path("components")
                                    .path(component)
                                    .path("status")
                                    .asString()
                                    .equals(shown.path("status").asString());
                            return agree ? shown : null;
                        },
                        shown -> shown != null
                                && shown.path("status").asString().equals(status)
                                && shown.path("details")
                                        .path("state")
                                        .asString()
                                        .equals(state)
                                && shown.path("details")
                                        .path("reads")
                                        .asString()
                                        .equals(reads));
    }

    /** Runs {@code read} and checks that the replica ran the statement {@code fragment} names meanwhile. */
    private static <T> T served(PostgresServer replica, String fragment, Supplier<T> read) {
        return ranOn(replica, fragment, read, true);
    }

    /** Runs {@code read} and checks that the replica did not run the statement {@code fragment} names. */
    private static <T> T notServed(PostgresServer replica, String fragment, Supplier<T> read) {
        return ranOn(replica, fragment, read, false);
    }

    private static <T> T ranOn(PostgresServer replica, String fragment, Supplier<T> read, boolean expected) {
        long before = calls(replica, fragment);
        T result = read.get();
        assertThat(calls(replica, fragment) > before)
                .as("statements with %s ran on the replica", fragment)
                .isEqualTo(expected);
        return result;
    }

    private static long calls(PostgresServer server, String fragment) {
        return Long.parseLong(server.sql("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements"
                + " WHERE query LIKE '%" + fragment + "%' AND query NOT LIKE '%pg_stat_statements%'"));
    }

    private static List<String> texts(JsonNode messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.path("content").asString()));
        return out;
    }

    /** The texts of the messages a sync from the start returns. */
    private static List<String> sync(TestClient api, TestClient.User user) {
        List<String> out = new ArrayList<>();
        api.get("/api/v1/sync?limit=500", user.token())
                .expect(200)
                .json()
                .path("events")
                .forEach(e ->
                        out.add(e.path("data").path("message").path("content").asString()));
        return out;
    }
}
