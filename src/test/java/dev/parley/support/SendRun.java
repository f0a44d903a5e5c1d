package dev.parley.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.ParleyApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.LongStream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The common part of the resilience tests: nodes sharing the tests' embedded PostgreSQL, sends that a client
 * retries with the same {@code client_message_id} (on another node when one fails), the record of what was
 * acknowledged, and the checks against what every participant's {@code GET /sync} returns.
 */
public final class SendRun {

    /** Short per-attempt timeouts, so a node that went away costs a retry, not the test's whole budget. */
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SEND_BUDGET = Duration.ofSeconds(25);

    /** What the server acknowledged for one client_message_id. */
    public record Ack(UUID conversation, String clientMessageId, String messageId, long seq) {}

    /** Which conversation a client's n-th send goes to. */
    @FunctionalInterface
    public interface Target {
        UUID conversation(TestClient.User from, int n);
    }

    /** Which node attempt {@code attempt} of a client's n-th send goes to. */
    @FunctionalInterface
    public interface Route {
        TestClient node(TestClient.User from, int n, int attempt);
    }

    private final Map<String, Ack> acked = new ConcurrentHashMap<>();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final Map<UUID, Set<UUID>> members = new ConcurrentHashMap<>();

    /** A node: its own context on a random port, profile {@code test}, the shared embedded PostgreSQL. */
    public static ConfigurableApplicationContext startNode(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--parley.data-dir=target/test-data/shared"));
        args.addAll(List.of(extraArgs));
        return new SpringApplicationBuilder(ParleyApplication.class)
                .profiles("test")
                .run(args.toArray(String[]::new));
    }

    /**
     * A node on an embedded PostgreSQL of its own in {@code dataDir}, in both CI passes (a command-line argument
     * outranks {@code SPRING_DATASOURCE_URL}): for tests whose background work (push workers, say) another live
     * context on a shared database would take over.
     */
    public static ConfigurableApplicationContext startOwnNode(String dataDir, String... extraArgs) {
        List<String> args =
                new ArrayList<>(List.of("--server.port=0", "--spring.datasource.url=", "--parley.data-dir=" + dataDir));
        args.addAll(List.of(extraArgs));
        return new SpringApplicationBuilder(ParleyApplication.class)
                .profiles("test")
                .run(args.toArray(String[]::new));
    }

    /**
     * Waits until presence, asked through {@code api} by {@code asker}, counts {@code devices} of {@code user}'s
     * sockets: by then each socket's node has subscribed to the user's channel.
     */
    public static void awaitDevices(TestClient api, TestClient.User asker, TestClient.User user, int devices) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/api/v1/users/" + user.id() + "/presence", asker.token())
                                .expect(200)
                                .json()
                                .path("device_count")
                                .asInt()
                        == devices);
    }

    public static TestClient client(ConfigurableApplicationContext node) {
        return new TestClient("http://127.0.0.1:" + node.getEnvironment().getProperty("local.server.port"));
    }

    /**
     * Four clients and their conversations: a group of all four and two direct ones (alice-bob, carol-dave);
     * alice and bob registered through {@code first}, carol and dave through {@code second}.
     */
    public record Cast(
            TestClient.User alice,
            TestClient.User bob,
            TestClient.User carol,
            TestClient.User dave,
            UUID group,
            UUID aliceBob,
            UUID carolDave) {

        public List<TestClient.User> users() {
            return List.of(alice, bob, carol, dave);
        }

        /** Even sends go to the group, odd ones to the sender's direct conversation. */
        public UUID target(TestClient.User from, int n) {
            return n % 2 == 0 ? group : from.equals(alice) || from.equals(bob) ? aliceBob : carolDave;
        }
    }

    /** Registers the {@link Cast} and remembers its conversations for the sync checks. */
    public Cast cast(TestClient first, TestClient second, String prefix) {
        TestClient.User alice = first.register(prefix);
        TestClient.User bob = first.register(prefix);
        TestClient.User carol = second.register(prefix);
        TestClient.User dave = second.register(prefix);
        Cast cast = new Cast(
                alice,
                bob,
                carol,
                dave,
                new Chat(first).group(alice, prefix, bob, carol, dave),
                new Chat(first).direct(alice, bob),
                new Chat(second).direct(carol, dave));
        conversation(cast.group(), alice, bob, carol, dave);
        conversation(cast.aliceBob(), alice, bob);
        conversation(cast.carolDave(), carol, dave);
        return cast;
    }

    /** Remembers who takes part in a conversation, for the sync checks. */
    public void conversation(UUID conversation, TestClient.User... participants) {
        members.put(
                conversation,
                Set.of(Arrays.stream(participants).map(TestClient.User::id).toArray(UUID[]::new)));
    }

    public Map<String, Ack> acked() {
        return acked;
    }

    /** Attempts that failed (I/O error, timeout, 5xx) and were retried. */
    public int failedAttempts() {
        return failedAttempts.get();
    }

    /**
     * Every user sends {@code sendsPerPhase} messages per phase, all users at once, one thread each. Phase 0 runs
     * alone; then each disruption runs in this thread while the next phase is under way (requests in flight when
     * it strikes), and one more phase runs after it has completed (requests that meet its aftermath). So there
     * are {@code 1 + 2 * disruptions.length} phases. Bounded: every wait has a timeout.
     */
    public void inPhases(
            List<TestClient.User> users, int sendsPerPhase, Target target, Route route, Runnable... disruptions)
            throws Exception {
        int phases = 1 + 2 * disruptions.length;
        CountDownLatch[] go = new CountDownLatch[phases];
        CountDownLatch[] done = new CountDownLatch[phases];
        for (int p = 0; p < phases; p++) {
            go[p] = new CountDownLatch(p == 0 ? 0 : 1);
            done[p] = new CountDownLatch(users.size());
        }
        List<Future<?>> senders = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(users.size())) {
            for (TestClient.User user : users) {
                senders.add(pool.submit(() -> {
                    for (int phase = 0; phase < phases; phase++) {
                        if (!go[phase].await(60, TimeUnit.SECONDS)) {
                            throw new AssertionError("phase " + phase + " never started");
                        }
                        for (int i = 0; i < sendsPerPhase; i++) {
                            int n = phase * sendsPerPhase + i;
                            send(
                                    attempt -> route.node(user, n, attempt),
                                    user,
                                    target.conversation(user, n),
                                    user.username() + "-" + n);
                        }
                        done[phase].countDown();
                    }
                    return null;
                }));
            }
            try {
                awaitPhase(done[0], 0, senders);
                for (int d = 0; d < disruptions.length; d++) {
                    go[1 + 2 * d].countDown();
                    disruptions[d].run();
                    awaitPhase(done[1 + 2 * d], 1 + 2 * d, senders);
                    go[2 + 2 * d].countDown();
                    awaitPhase(done[2 + 2 * d], 2 + 2 * d, senders);
                }
                for (Future<?> sender : senders) {
                    sender.get(5, TimeUnit.SECONDS);
                }
            } finally {
                senders.forEach(f -> f.cancel(true));
                for (CountDownLatch latch : go) {
                    latch.countDown();
                }
            }
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(phases * sendsPerPhase * users.size());
    }

    /** Waits for a phase; a sender that failed fails the run at once, with its own error. */
    private static void awaitPhase(CountDownLatch done, int phase, List<Future<?>> senders) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.await(100, TimeUnit.MILLISECONDS)) {
            for (Future<?> sender : senders) {
                if (sender.isDone()) {
                    sender.get();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("phase " + phase + " did not finish within 60 s");
            }
        }
    }

    /**
     * Sends one text message (its content is its client_message_id, so duplicates show) and retries the same
     * client_message_id until it is acknowledged: attempt {@code n} goes to {@code node.apply(n)}, so a caller
     * that alternates moves to the other node after a failure. A failure is an I/O error, a timeout or a 5xx;
     * a 4xx is a bug and fails at once. Bounded by {@link #SEND_BUDGET}.
     */
    public Ack send(IntFunction<TestClient> node, TestClient.User from, UUID conversation, String clientMessageId) {
        String body = TestClient.JSON.writeValueAsString(
                Map.of("type", "text", "content", clientMessageId, "client_message_id", clientMessageId));
        long deadline = System.nanoTime() + SEND_BUDGET.toNanos();
        List<String> failures = new ArrayList<>();
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            TestClient api = node.apply(attempt);
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create(api.base() + "/api/v1/conversations/" + conversation + "/messages"))
                    .timeout(ATTEMPT_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + from.token())
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            try {
                HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200 || status == 201) {
                    JsonNode message = TestClient.JSON.readTree(response.body());
                    Ack ack = new Ack(
                            conversation,
                            clientMessageId,
                            message.path("message_id").asString(),
                            message.path("seq").asLong());
                    Ack earlier = acked.putIfAbsent(clientMessageId, ack);
                    assertThat(earlier)
                            .as("client_message_id %s acknowledged once", clientMessageId)
                            .isNull();
                    assertThat(message.path("content").asString()).isEqualTo(clientMessageId);
                    return ack;
                }
                if (status < 500) {
                    throw new AssertionError(
                            "send " + clientMessageId + " answered " + status + ": " + response.body());
                }
                failures.add(status + " from " + api.base());
                failedAttempts.incrementAndGet();
            } catch (IOException e) {
                failures.add(e + " from " + api.base());
                failedAttempts.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("send " + clientMessageId + " never acknowledged; attempts: " + failures);
    }

    /**
     * Sends over a socket ({@code message.send}, content = client_message_id) and records the {@code message.ack};
     * a WebSocket send runs the same code as the REST one.
     */
    public Ack sendOverSocket(WsClient device, UUID conversation, String clientMessageId) {
        device.send("message.send", textSend(conversation, clientMessageId));
        JsonNode message = device.await(
                        "message.ack",
                        a -> a.path("client_message_id").asString().equals(clientMessageId))
                .path("message");
        assertThat(message.path("content").asString()).isEqualTo(clientMessageId);
        Ack ack = new Ack(
                conversation,
                clientMessageId,
                message.path("message_id").asString(),
                message.path("seq").asLong());
        assertThat(acked.putIfAbsent(clientMessageId, ack))
                .as("%s acknowledged once", clientMessageId)
                .isNull();
        return ack;
    }

    /** The data of a {@code message.send} frame whose content is its client_message_id, so duplicates show. */
    public static Map<String, Object> textSend(UUID conversation, String clientMessageId) {
        return Map.of(
                "conversation_id",
                conversation.toString(),
                "client_message_id",
                clientMessageId,
                "type",
                "text",
                "content",
                clientMessageId);
    }

    /** Every event {@code user} gets from {@code GET /sync} from the beginning, following next_cursor. */
    public static List<JsonNode> syncAll(TestClient api, TestClient.User user) {
        List<JsonNode> events = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 1_000; page++) {
            JsonNode body = api.get("/api/v1/sync?limit=100" + (cursor == null ? "" : "&since=" + cursor), user.token())
                    .expect(200)
                    .json();
            body.path("events").forEach(events::add);
            cursor = body.path("next_cursor").isNull()
                    ? cursor
                    : body.path("next_cursor").asString();
            if (!body.path("has_more").asBoolean()) {
                return events;
            }
        }
        throw new AssertionError("sync of " + user.username() + " did not end within 1,000 pages");
    }

    /**
     * Each user's sync from the beginning holds every acknowledged message of their conversations exactly once
     * (same message_id and seq as the ack), no user message that was not acknowledged (no duplicate stored by a
     * retry), and each conversation's seqs, system messages included, are 1..N without gaps or repeats.
     */
    public void assertEverySyncHasEverything(TestClient api, List<TestClient.User> users) {
        assertThat(acked).isNotEmpty();
        // Sync hands out only events below the horizon (every older transaction finished), so a write transaction
        // still open anywhere on the server (another test context's job, in the shared-database pass) holds the
        // newest acknowledged message back for a moment. Lost or duplicated messages still fail after the wait.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertSyncsHaveEverything(api, users));
    }

    private void assertSyncsHaveEverything(TestClient api, List<TestClient.User> users) {
        for (TestClient.User user : users) {
            Map<UUID, List<JsonNode>> byConversation = new HashMap<>();
            for (JsonNode event : syncAll(api, user)) {
                if ("message.new".equals(event.path("type").asString())) {
                    JsonNode message = event.path("data").path("message");
                    byConversation
                            .computeIfAbsent(
                                    UUID.fromString(
                                            message.path("conversation_id").asString()),
                                    c -> new ArrayList<>())
                            .add(message);
                }
            }
            for (Map.Entry<UUID, Set<UUID>> conversation : members.entrySet()) {
                if (!conversation.getValue().contains(user.id())) {
                    continue;
                }
                UUID id = conversation.getKey();
                List<JsonNode> messages = byConversation.getOrDefault(id, List.of());
                String what = "conversation " + id + " in the sync of " + user.username();

                List<Long> seqs = messages.stream()
                        .map(m -> m.path("seq").asLong())
                        .sorted()
                        .toList();
                assertThat(seqs)
                        .as("seqs of %s", what)
                        .containsExactlyElementsOf(
                                LongStream.rangeClosed(1, seqs.size()).boxed().toList());

                Map<String, String> userMessages = new HashMap<>();
                for (JsonNode m : messages) {
                    if (!"system".equals(m.path("type").asString())) {
                        String previous = userMessages.put(
                                m.path("content").asString(),
                                m.path("message_id").asString() + "@"
                                        + m.path("seq").asLong());
                        assertThat(previous)
                                .as("duplicate of %s in %s", m.path("content").asString(), what)
                                .isNull();
                    }
                }
                Map<String, String> expected = new HashMap<>();
                acked.values().stream()
                        .filter(a -> a.conversation().equals(id))
                        .forEach(a -> expected.put(a.clientMessageId(), a.messageId() + "@" + a.seq()));
                assertThat(userMessages)
                        .as("user messages of %s, against the acks", what)
                        .containsExactlyInAnyOrderEntriesOf(expected);
            }
        }
    }
}
