package dev.parley.realtime.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.reaction.ReactionService;
import dev.parley.support.ApiTest;
import dev.parley.support.QueryCounter;
import dev.parley.support.TestClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Waiting long polls and event streams are woken by one look at the log per node and second ({@link SyncNotifier}),
 * not by polling the database each: idle ones cost (almost) no queries, and an event that becomes readable without
 * a commit on this node to wake anyone (held back behind an older transaction, or written by another node) still
 * reaches them.
 */
class SyncNotifierTest extends ApiTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    private MeterRegistry meters;

    @Autowired
    private SyncWaiters waiters;

    @Autowired
    private PlatformTransactionManager transactionManager;

    @Autowired
    private ReactionService reactions;

    @Test
    void idleStreamsAndLongPollsCostAlmostNoQueries() throws Exception {
        List<TestClient.User> users = List.of(api.register("idle"), api.register("idle"), api.register("idle"));
        // What the node's own background work (revocation feed, search indexer, notifier) costs with nobody
        // waiting, measured over the same span, is not the waiters' doing.
        QueryCounter queries = new QueryCounter(meters);
        long idleBefore = queries.executed();
        long idleStarted = System.nanoTime();
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        double idleSeconds = (System.nanoTime() - idleStarted) / 1e9;
        double background = (queries.executed() - idleBefore) / idleSeconds;
        List<HttpResponse<InputStream>> streams = new ArrayList<>();
        List<CompletableFuture<TestClient.Resp>> polls = new ArrayList<>();
        try {
            for (TestClient.User user : users.subList(0, 2)) {
                for (int i = 0; i < 5; i++) {
                    streams.add(HTTP.send(
                            HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/events"))
                                    .header("Authorization", "Bearer " + user.token())
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream()));
                }
            }
            TestClient.User poller = users.get(2);
            String cursor = api.get("/api/v1/sync", poller.token()).expect(200).text("next_cursor");
            for (int i = 0; i < 5; i++) {
                polls.add(CompletableFuture.supplyAsync(
                        () -> api.get("/api/v1/sync?since=" + cursor + "&timeout=25", poller.token())));
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> users.stream().allMatch(u -> waiters.waiting(u.id()) == 5));
            // Settled: the notifier's first look after waiters appear wakes them all once, to read what came before.
            await().during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(4))
                    .until(() -> users.stream().allMatch(u -> waiters.waiting(u.id()) == 5));

            // 15 waiters for 5 seconds: they used to read the log every second each, 75 queries.
            long before = queries.executed();
            long started = System.nanoTime();
            await().during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(7))
                    .until(() -> users.stream().allMatch(u -> waiters.waiting(u.id()) == 5));
            double seconds = (System.nanoTime() - started) / 1e9;
            long used = Math.round(queries.executed() - before - background * seconds);
            System.out.printf(
                    "idle waiters: 15, %d queries beyond the background's %.2f/s in %.1f s%n",
                    used, background, seconds);
            assertThat(used).as("queries by 15 idle waiters in %.1f s", seconds).isLessThan(15);
        } finally {
            for (HttpResponse<InputStream> stream : streams) {
                stream.body().close();
            }
            polls.forEach(p -> p.cancel(true));
        }
    }

    @Test
    void anEventHeldBackByAnOlderTransactionWakesTheLongPollOnceReadable() throws Exception {
        TestClient.User a = api.register("notifya");
        TestClient.User c = api.register("notifyc");
        TestClient.User x = api.register("notifyx");
        TestClient.User y = api.register("notifyy");
        UUID direct = chat.direct(a, c);
        // Where the older transaction writes: a conversation c is not in, so its commit wakes nobody of c's.
        UUID elsewhere = chat.sendOk(y, chat.direct(x, y), "react to me");
        String cursor = api.get("/api/v1/sync", c.token()).expect(200).text("next_cursor");

        CompletableFuture<TestClient.Resp> poll = new CompletableFuture<>();
        UUID[] sent = new UUID[1];
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            reactions.add(x.id(), elsewhere, "🎉");
            CompletableFuture.supplyAsync(() -> api.get("/api/v1/sync?since=" + cursor + "&timeout=25", c.token()))
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            poll.completeExceptionally(e);
                        } else {
                            poll.complete(r);
                        }
                    });
            await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting(c.id()) == 1);
            // Committed, and wakes c's poll at once, but not readable while the older transaction is open.
            sent[0] = chat.sendOk(a, direct, "held back");
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !poll.isDone());
        });

        // Nothing committed on this node for c since: only the notifier can tell the poll it is readable now.
        TestClient.Resp answered = poll.get(10, TimeUnit.SECONDS).expect(200);
        assertThat(answered.json()
                        .path("events")
                        .path(0)
                        .path("data")
                        .path("message")
                        .path("message_id")
                        .asString())
                .isEqualTo(sent[0].toString());
    }
}
