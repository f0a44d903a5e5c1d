package dev.parley.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;

/**
 * A rolling restart behind a real load balancer: two Parley nodes (JVMs of their own) sharing a PostgreSQL the run
 * starts ({@link PostgresServer}) and the local Redis under a key prefix of its own, HAProxy in front
 * ({@link HaProxy}), and {@link RollingClient}s that send and receive through it while node 1 and then node 2 are
 * stopped with SIGTERM and started again. Used by the rolling restart test and benchmark; everything it starts is
 * stopped by PID on {@link #close()}.
 */
public final class RollingRestart implements AutoCloseable {

    /** {@code launcher}: how a node's JVM starts ({@link ParleyProcess#jar} or {@link ParleyProcess#classpath}). */
    public record Settings(List<String> launcher, Path workDir, int clients, Duration sendEvery, Duration drainDelay) {}

    /** What one node's stop looked like. */
    public record Stop(int exitStatus, boolean outOfRotationWhileAlive, long tookMillis) {}

    private final Settings settings;
    private final PostgresServer postgres;
    private final List<ParleyProcess> nodes = new ArrayList<>();
    private final HaProxy proxy;
    private final List<RollingClient> clients = new ArrayList<>();
    private final Map<UUID, Set<UUID>> members = new HashMap<>();
    private final List<Stop> stops = new ArrayList<>();

    private RollingRestart(Settings settings, PostgresServer postgres, HaProxy proxy, List<ParleyProcess> nodes) {
        this.settings = settings;
        this.postgres = postgres;
        this.proxy = proxy;
        this.nodes.addAll(nodes);
    }

    /** Starts PostgreSQL, both nodes and HAProxy; skips (fails on CI) without Redis, HAProxy or PostgreSQL. */
    public static RollingRestart start(Settings settings) throws Exception {
        RedisAvailable.require();
        HaProxy.require();
        Files.createDirectories(settings.workDir());
        PostgresServer postgres = PostgresServer.start();
        List<ParleyProcess> nodes = new ArrayList<>();
        HaProxy proxy = null;
        try {
            Path data = Files.createTempDirectory(settings.workDir(), "data-");
            String prefix = "parley-rolling-" + UUID.randomUUID();
            String secret = UUID.randomUUID() + "-" + UUID.randomUUID();
            List<String> args = List.of(
                    "--spring.datasource.url=" + postgres.jdbcUrl(),
                    "--spring.datasource.username=" + PostgresServer.USER,
                    "--spring.datasource.hikari.maximum-pool-size=10",
                    "--spring.data.redis.url=" + RedisAvailable.URL,
                    "--parley.redis.prefix=" + prefix,
                    "--parley.data-dir=" + data,
                    "--parley.shutdown.drain-delay=" + settings.drainDelay().toMillis() + "ms",
                    "--parley.auth.bcrypt-strength=4",
                    "--parley.limits.messages-per-minute=0",
                    "--parley.limits.registrations-per-address=0",
                    "--parley.limits.groups-per-hour=0",
                    "--parley.limits.member-adds-per-hour=0",
                    // Resends after a reconnect come in bursts; the frame limit has tests of its own.
                    "--parley.realtime.frame-rate=1000",
                    "--parley.realtime.frame-burst=1000",
                    "--logging.level.root=WARN",
                    "--logging.level.dev.parley=INFO");
            Map<String, String> environment =
                    Map.of("SPRING_DATASOURCE_PASSWORD", postgres.password(), "PARLEY_AUTH_JWT_SECRET", secret);
            for (int i = 1; i <= 2; i++) {
                nodes.add(new ParleyProcess(
                        settings.launcher(),
                        args,
                        environment,
                        settings.workDir().resolve("node-" + i + ".log"),
                        HaProxy.freePort()));
            }
            // One at a time: Flyway migrates the fresh database once.
            for (ParleyProcess node : nodes) {
                node.start(Duration.ofMinutes(5));
            }
            proxy = HaProxy.start(
                    settings.workDir().resolve("haproxy"),
                    nodes.stream().map(ParleyProcess::port).toList());
            proxy.awaitState("n1", "UP", Duration.ofSeconds(20));
            proxy.awaitState("n2", "UP", Duration.ofSeconds(20));
            return new RollingRestart(settings, postgres, proxy, nodes);
        } catch (Exception | Error e) {
            if (proxy != null) {
                proxy.close();
            }
            for (ParleyProcess node : nodes) {
                node.close();
            }
            postgres.close();
            throw e;
        }
    }

    /**
     * Registers the clients' users through the balancer: a group of all of them, and a direct conversation per
     * pair (the last one joins the previous pair's when their number is odd); each client sends to both of its
     * conversations in turn. Then starts them and waits until each has had a few sends acknowledged.
     */
    public void startClients() {
        TestClient api = new TestClient(proxy.baseUrl());
        Chat chat = new Chat(api);
        List<TestClient.User> users = new ArrayList<>();
        for (int i = 0; i < settings.clients(); i++) {
            users.add(api.register("roll"));
        }
        UUID group = chat.group(
                users.getFirst(), "rolling", users.subList(1, users.size()).toArray(TestClient.User[]::new));
        members.put(group, Set.copyOf(users.stream().map(TestClient.User::id).toList()));
        Map<TestClient.User, UUID> direct = new HashMap<>();
        for (int i = 0; i + 1 < users.size(); i += 2) {
            UUID pair = chat.direct(users.get(i), users.get(i + 1));
            members.put(pair, Set.of(users.get(i).id(), users.get(i + 1).id()));
            direct.put(users.get(i), pair);
            direct.put(users.get(i + 1), pair);
        }
        for (TestClient.User user : users) {
            List<UUID> conversations = direct.containsKey(user) ? List.of(group, direct.get(user)) : List.of(group);
            clients.add(new RollingClient(proxy.wsUrl(), proxy.baseUrl(), user, conversations, settings.sendEvery()));
        }
        clients.forEach(RollingClient::start);
        awaitProgress(Duration.ofSeconds(60));
    }

    /** Every client connected and with three more acknowledged sends than now. */
    public void awaitProgress(Duration atMost) {
        Map<RollingClient, Integer> before = new HashMap<>();
        clients.forEach(c -> before.put(c, c.acked().size()));
        Awaitility.await("every client connected and sending")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    failFast();
                    return clients.stream()
                            .allMatch(c ->
                                    c.started() && c.connected() && c.acked().size() >= before.get(c) + 3);
                });
    }

    /**
     * Node {@code n} (1 or 2) gets SIGTERM; records whether HAProxy took it out of rotation while it still ran (its
     * readiness went down first), waits for it to end, starts it again and waits until HAProxy has it back.
     */
    public Stop restart(int n) throws IOException, InterruptedException {
        ParleyProcess node = nodes.get(n - 1);
        String name = "n" + n;
        long started = System.nanoTime();
        node.terminate();
        proxy.awaitState(name, "DOWN", Duration.ofSeconds(30));
        boolean outWhileAlive = node.alive();
        // Bounded: a node that does not end within a minute is killed and the run fails.
        int status = node.awaitExit(Duration.ofSeconds(60));
        Stop stop = new Stop(status, outWhileAlive, (System.nanoTime() - started) / 1_000_000);
        stops.add(stop);
        node.start(Duration.ofMinutes(5));
        proxy.awaitState(name, "UP", Duration.ofSeconds(30));
        return stop;
    }

    public List<Stop> stops() {
        return stops;
    }

    public List<RollingClient> clients() {
        return clients;
    }

    public Path log(int n) {
        return settings.workDir().resolve("node-" + n + ".log");
    }

    /** Stops new sends and waits until every send was acknowledged and every client heard of every message. */
    public void finish(Duration atMost) {
        clients.forEach(RollingClient::stopSending);
        Awaitility.await("every send acknowledged")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    failFast();
                    return clients.stream().allMatch(c -> c.pending() == 0);
                });
        Awaitility.await("every client has every message of its conversations")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(this::assertEveryClientHasEverything);
    }

    private void failFast() {
        for (RollingClient client : clients) {
            List<String> problems = client.problems();
            assertThat(problems).as("problems of %s", client.user().username()).isEmpty();
        }
    }

    /** Per conversation, message id to seq, from the database. */
    private Map<UUID, Map<String, Long>> stored() throws SQLException {
        Map<UUID, Map<String, Long>> stored = new HashMap<>();
        try (Connection db = database();
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT conversation_id, message_id, seq FROM messages")) {
            while (rs.next()) {
                stored.computeIfAbsent(rs.getObject(1, UUID.class), k -> new HashMap<>())
                        .put(rs.getObject(2, UUID.class).toString(), rs.getLong(3));
            }
        }
        return stored;
    }

    /**
     * Each client heard of exactly the stored messages of each of its conversations (live, acks and catch-up, folded
     * by message id), with the stored seqs, and those are 1..N: no gap, no repeat.
     */
    public void assertEveryClientHasEverything() throws SQLException {
        Map<UUID, Map<String, Long>> stored = stored();
        for (RollingClient client : clients) {
            for (UUID conversation : client.conversations()) {
                Map<String, Long> expected = stored.getOrDefault(conversation, Map.of());
                Map<String, Long> heard = new HashMap<>();
                client.seen().forEach((id, seen) -> {
                    if (seen.conversation().equals(conversation)) {
                        heard.put(id, seen.seq());
                    }
                });
                String what =
                        "conversation " + conversation + " as " + client.user().username() + " heard it";
                assertThat(heard).as(what).containsExactlyInAnyOrderEntriesOf(expected);
                assertThat(heard.values().stream().sorted().toList())
                        .as("seqs of %s", what)
                        .containsExactlyElementsOf(
                                LongStream.rangeClosed(1, heard.size()).boxed().toList());
            }
        }
    }

    /**
     * Every acknowledged send is stored exactly once, as the message its ack named, and nothing else was stored
     * (counted by client_message_id in the database: the idempotency key stored with each message).
     */
    public void assertEveryAckStoredOnce() throws SQLException {
        Map<String, String> acked = new HashMap<>();
        clients.forEach(c -> acked.putAll(c.acked()));
        Map<String, List<String>> byClientId = new HashMap<>();
        try (Connection db = database();
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT k.client_message_id, m.message_id FROM messages m LEFT JOIN message_idempotency k"
                                + " ON k.message_id = m.message_id WHERE m.message_type <> 'system'")) {
            while (rs.next()) {
                byClientId
                        .computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(rs.getObject(2, UUID.class).toString());
            }
        }
        Set<String> duplicated = new HashSet<>();
        byClientId.forEach((id, rows) -> {
            if (rows.size() != 1) {
                duplicated.add(id + " x" + rows.size());
            }
        });
        assertThat(duplicated).as("client_message_ids stored more than once").isEmpty();
        Map<String, String> stored = new HashMap<>();
        byClientId.forEach((id, rows) -> stored.put(id, rows.getFirst()));
        assertThat(stored).as("stored sends against the acks").containsExactlyInAnyOrderEntriesOf(acked);
    }

    private Connection database() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER, postgres.password());
    }

    @Override
    public void close() throws Exception {
        for (RollingClient client : clients) {
            client.close();
        }
        proxy.close();
        for (ParleyProcess node : nodes) {
            node.close();
        }
        postgres.close();
    }
}
