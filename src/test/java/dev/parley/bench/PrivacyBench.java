package dev.parley.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * (a) Deleting a user with 100,000 messages while others send: how long the background erasure takes, and the send
 * p99 of other users before and during it. (b) The expiry sweep over 1,000,000 expired disappearing messages: how
 * long until none is left, and what it wrote. Both seed with SQL into the server's database.
 */
final class PrivacyBench {

    static final int DOOMED_MESSAGES = 100_000;
    static final int EXPIRED_MESSAGES = 1_000_000;
    static final int SENDERS = 16;

    private PrivacyBench() {}

    static void run(Bench.Context ctx) throws Exception {
        Api api = ctx.api();
        Duration warmup = Duration.ofSeconds(ctx.intOpt("bench.warmup"));
        Duration measure = Duration.ofSeconds(ctx.intOpt("bench.duration"));
        long maxRequests = Long.parseLong(ctx.opt("bench.maxRequests"));

        Api.User doomed = api.register("erase", 0);
        Api.User peer = api.register("erase", 1);
        UUID erased = api.direct(doomed, peer);
        List<Api.User> senders = Api.parallel(SENDERS, 8, i -> api.register("sender", i));
        List<UUID> conversations = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            conversations.add(api.direct(senders.get(i), senders.get((i + 1) % SENDERS)));
        }
        try (Connection db = ctx.server().database()) {
            long started = System.nanoTime();
            seed(db, erased, doomed.id(), DOOMED_MESSAGES, null);
            System.out.printf(
                    "Seeded %,d messages of the user to delete in %.1f s%n",
                    DOOMED_MESSAGES, (System.nanoTime() - started) / 1e9);
        }
        Load.Result before = sends(ctx, "send-before", senders, conversations, warmup, measure, maxRequests);
        System.out.println(before.summary());

        long[] erasure = {0};
        Thread deleter = Thread.ofVirtual().start(() -> {
            try (Connection db = ctx.server().database()) {
                sleepUntil(System.nanoTime() + warmup.toNanos());
                long t0 = System.nanoTime();
                api.call("DELETE", "/api/v1/users/me", doomed.token(), Map.of("password", "bench password"), 204);
                while (!scalar(
                                db,
                                "SELECT coalesce(bool_and(completed_at IS NOT NULL), false) FROM account_deletions "
                                        + "WHERE user_id = '" + doomed.id() + "'")
                        .equals("t")) {
                    Thread.sleep(100);
                }
                erasure[0] = System.nanoTime() - t0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Load.Result during = sends(ctx, "send-during-erasure", senders, conversations, warmup, measure, maxRequests);
        System.out.println(during.summary());
        deleter.join();
        System.out.printf("Erasure of %,d messages took %.1f s%n", DOOMED_MESSAGES, erasure[0] / 1e9);

        String expiry;
        try (Connection db = ctx.server().database()) {
            Api.User a = api.register("expire", 0);
            Api.User b = api.register("expire", 1);
            UUID conversation = api.direct(a, b);
            long walBefore = Long.parseLong(scalar(db, "SELECT wal_bytes FROM pg_stat_wal"));
            long started = System.nanoTime();
            seed(db, conversation, a.id(), EXPIRED_MESSAGES, Instant.now().minusSeconds(60));
            System.out.printf(
                    "Seeded %,d expired messages in %.1f s%n", EXPIRED_MESSAGES, (System.nanoTime() - started) / 1e9);
            long walSeeded = Long.parseLong(scalar(db, "SELECT wal_bytes FROM pg_stat_wal"));
            long t0 = System.nanoTime();
            while (!scalar(db, "SELECT NOT EXISTS (SELECT 1 FROM messages WHERE expires_at IS NOT NULL)")
                    .equals("t")) {
                Thread.sleep(250);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long walAfter = Long.parseLong(scalar(db, "SELECT wal_bytes FROM pg_stat_wal"));
            String events = scalar(
                    db,
                    "SELECT count(*) FROM events WHERE type = 'message.deleted' " + "AND conversation_id = '"
                            + conversation + "'");
            expiry = String.format(
                    "| %,d | %.1f s (sweep every 5 s; includes up to one interval of waiting) | %,.0f "
                            + "| %,d | %.0f MB (%.0f MB to seed) |",
                    EXPIRED_MESSAGES,
                    seconds,
                    EXPIRED_MESSAGES / seconds,
                    Long.parseLong(events),
                    (walAfter - walSeeded) / 1e6,
                    (walSeeded - walBefore) / 1e6);
            System.out.println("Expiry: " + expiry);
        }

        String settings = String.format(
                "%d senders (direct conversations in a ring), warm-up %d s then %d s measured "
                        + "per window; erasure batch 500, expiry batch 5,000; server JVM options %s, embedded "
                        + "PostgreSQL",
                SENDERS, warmup.toSeconds(), measure.toSeconds(), Bench.serverJvmOptions());
        ctx.report("""
                ## privacy: account erasure and the expiry sweep

                (a) A user with %,d messages (seeded) deletes their account (`DELETE /users/me`) while %d other users
                send text messages in their own direct conversations as fast as the server answers. The erasure
                (tombstones, search entries, a `message.deleted` each, in batches of 500 per transaction) runs in
                the background; the sends are measured for the same window before and while it runs.

                | window | msg/s | p50 | p90 | p99 | max | ok | failed |
                |---|---:|---:|---:|---:|---:|---:|---:|
                %s
                %s

                Erasure of %,d messages, request to `completed_at`: %.1f s.

                (b) %,d messages of one conversation already past `expires_at` (seeded with SQL); the sweep removes
                them in batches of 5,000 per transaction (rows, search entries, a `message.deleted` with
                `expired: true` logged per message in the same statement).

                | messages | until none left | messages/s | `message.deleted` events | WAL written |
                |---:|---:|---:|---:|---:|
                %s

                %s
                """.formatted(
                        DOOMED_MESSAGES,
                        SENDERS,
                        row("before the deletion", before),
                        row("during the erasure", during),
                        DOOMED_MESSAGES,
                        erasure[0] / 1e9,
                        EXPIRED_MESSAGES,
                        expiry,
                        ctx.machine(settings)));
    }

    private static Load.Result sends(
            Bench.Context ctx,
            String label,
            List<Api.User> senders,
            List<UUID> conversations,
            Duration warmup,
            Duration measure,
            long maxRequests)
            throws InterruptedException {
        Api api = ctx.api();
        return Load.run(label, SENDERS, warmup, measure, maxRequests, 201, w -> {
            URI uri = URI.create(api.base() + "/api/v1/conversations/" + conversations.get(w) + "/messages");
            String token = senders.get(w).token();
            return () -> api.status(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(Api.json("{\"type\":\"text\",\"content\":\"while someone leaves\"}"))
                    .build());
        });
    }

    /**
     * {@code n} text messages from {@code sender} in the conversation, each with a UUIDv7 of its own time, a
     * millisecond apart and ending a minute ago; with {@code expiresAt}, all expired at that time.
     */
    private static void seed(Connection db, UUID conversation, UUID sender, int n, Instant expiresAt) throws Exception {
        long firstMs = Instant.now().toEpochMilli() - 60_000 - n;
        db.setAutoCommit(false);
        try (PreparedStatement st = db.prepareStatement("""
                INSERT INTO messages (message_id, conversation_id, seq, sender_id, message_type, content, metadata,
                                      created_at, expires_at)
                SELECT (lpad(to_hex(t.ms), 12, '0') || '7' || substr(t.h, 1, 3) || '8' || substr(t.h, 4, 15))::uuid,
                       ?, t.g, ?, 'text', 'seeded words number ' || t.g, '{}'::jsonb,
                       timestamptz 'epoch' + t.ms * interval '1 millisecond', ?
                FROM (SELECT g, ?::bigint + g AS ms, md5(?::text || g) AS h
                      FROM generate_series(?::bigint, ?::bigint) g) t""")) {
            for (long from = 1; from <= n; from += 100_000) {
                st.setObject(1, conversation);
                st.setObject(2, sender);
                st.setObject(3, expiresAt == null ? null : Timestamp.from(expiresAt));
                st.setLong(4, firstMs);
                st.setString(5, conversation.toString());
                st.setLong(6, from);
                st.setLong(7, Math.min(n, from + 99_999));
                st.executeUpdate();
            }
        }
        try (PreparedStatement st =
                db.prepareStatement("UPDATE conversations SET last_seq = ? WHERE conversation_id = ?")) {
            st.setLong(1, n);
            st.setObject(2, conversation);
            st.executeUpdate();
        }
        db.commit();
        db.setAutoCommit(true);
        try (Statement st = db.createStatement()) {
            st.execute("ANALYZE messages");
        }
    }

    private static String row(String name, Load.Result r) {
        return String.format(
                "| %s | %.0f | %s | %s | %s | %s | %d | %d |",
                name,
                r.throughput(),
                Latencies.ms(r.latencies().quantile(0.5)),
                Latencies.ms(r.latencies().quantile(0.9)),
                Latencies.ms(r.latencies().quantile(0.99)),
                Latencies.ms(r.latencies().max()),
                r.ok(),
                r.failed());
    }

    private static String scalar(Connection db, String sql) throws Exception {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }
}
