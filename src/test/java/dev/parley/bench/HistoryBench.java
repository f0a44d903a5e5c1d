package dev.parley.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * History paging cost against conversation size: {@code GET /conversations/{id}/messages?limit=50} for the newest
 * page and for a page deep in history ({@code before_id}), in a conversation of 1,000 messages and one of
 * 1,000,000. Messages are seeded with SQL straight into the server's PostgreSQL (consecutive seq, increasing
 * created_at, UUIDv7 ids carrying that time), then ANALYZEd; requests are sequential and interleaved between
 * the two conversations so that noise from a shared machine hits both alike.
 */
final class HistoryBench {

    private static final int PAGE = 50;

    private HistoryBench() {}

    static void run(Bench.Context ctx) throws Exception {
        if (ctx.server().jdbcUrl == null) {
            throw new IllegalStateException("history seeds with SQL: give -Dbench.jdbcUrl=jdbc:postgresql://... "
                    + "(user postgres) along with bench.url");
        }
        Api api = ctx.api();
        int smallSize = ctx.intOpt("bench.smallSize");
        int largeSize = ctx.intOpt("bench.largeSize");
        int samples = ctx.intOpt("bench.samples");

        Api.User alice = api.register("history", 0);
        Api.User bob = api.register("history", 1);
        UUID small = api.group(alice, "history small", List.of(bob));
        UUID large = api.group(alice, "history large", List.of(bob));
        String pgVersion;
        List<UUID> smallCursors;
        List<UUID> largeCursors;
        try (Connection db = ctx.server().database()) {
            pgVersion = scalar(db, "SHOW server_version");
            Instant end = Instant.now().minusSeconds(60);
            // Keep the seeded span inside the current month's partition (where live traffic goes) when possible.
            Instant monthStart = ZonedDateTime.now(ZoneOffset.UTC)
                    .withDayOfMonth(1)
                    .toLocalDate()
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
            long stepMs =
                    Math.max(1, Math.min(1000, Duration.between(monthStart, end).toMillis() / largeSize - 1));
            long started = System.nanoTime();
            seed(db, small, alice.id(), bob.id(), smallSize, end, stepMs);
            seed(db, large, alice.id(), bob.id(), largeSize, end, stepMs);
            System.out.printf(
                    "Seeded %,d + %,d messages (%d ms apart) in %.1f s; ANALYZE...%n",
                    smallSize, largeSize, stepMs, (System.nanoTime() - started) / 1e9);
            try (Statement st = db.createStatement()) {
                st.execute("ANALYZE messages");
                st.execute("ANALYZE conversations");
            }
            System.out.printf("Seeding done after %.1f s%n", (System.nanoTime() - started) / 1e9);
            Random random = new Random(42);
            smallCursors = cursors(db, small, smallSize, samples, random);
            largeCursors = cursors(db, large, largeSize, samples, random);
        }

        // Correctness before speed: each kind of page is full and says there is more.
        String token = alice.token();
        check(api, small, null, token);
        check(api, large, null, token);
        check(api, small, smallCursors.getFirst(), token);
        check(api, large, largeCursors.getFirst(), token);

        Latencies[] lat = {new Latencies(), new Latencies(), new Latencies(), new Latencies()};
        String[] names = {
            "newest page, %,d".formatted(smallSize),
            "newest page, %,d".formatted(largeSize),
            "deep page, %,d".formatted(smallSize),
            "deep page, %,d".formatted(largeSize)
        };
        int warmupRounds = Math.max(50, samples / 5);
        System.out.printf(
                "Warm-up %d rounds, then %d measured rounds of 4 interleaved requests%n", warmupRounds, samples);
        CpuMeter meter = ctx.cpuMeter();
        Instant from = null;
        for (int round = -warmupRounds; round < samples; round++) {
            if (round == 0) {
                meter.start();
                from = Instant.now();
            }
            int c = Math.floorMod(round, samples);
            URI[] uris = {
                page(api, small, null),
                page(api, large, null),
                page(api, small, smallCursors.get(c)),
                page(api, large, largeCursors.get(c))
            };
            for (int k = 0; k < 4; k++) {
                long t0 = System.nanoTime();
                int status = api.status(HttpRequest.newBuilder(uris[k])
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build());
                long t = System.nanoTime() - t0;
                if (status != 200) {
                    throw new IllegalStateException(uris[k] + " answered " + status);
                }
                if (round >= 0) {
                    lat[k].record(t);
                }
            }
            if (round > 0 && round % 100 == 0) {
                System.out.printf(
                        "  %d rounds: newest %s / %s, deep %s / %s (medians so far, small / large)%n",
                        round,
                        Latencies.ms(lat[0].quantile(0.5)),
                        Latencies.ms(lat[1].quantile(0.5)),
                        Latencies.ms(lat[2].quantile(0.5)),
                        Latencies.ms(lat[3].quantile(0.5)));
            }
        }
        String cpu = meter.stop();
        if (ctx.profile() != null) {
            ctx.profile().window(from, Instant.now());
        }
        for (int k = 0; k < 4; k++) {
            System.out.println(names[k] + ": " + lat[k].summary());
        }
        double newestRatio = (double) lat[1].quantile(0.5) / lat[0].quantile(0.5);
        double deepRatio = (double) lat[3].quantile(0.5) / lat[2].quantile(0.5);
        System.out.printf(
                "Median ratio large / small: newest %.2f, deep %.2f (aim <= 1.5); CPU %s%n",
                newestRatio, deepRatio, cpu);

        String settings = String.format(
                "one client, sequential requests, %d warm-up rounds then %d measured rounds, "
                        + "each round one request of each kind in turn; deep cursors drawn at random (seed 42) from "
                        + "seq "
                        + "10%%-90%% of each conversation; seeded by SQL then `ANALYZE`; PostgreSQL %s (embedded, "
                        + "shared_buffers 256MB); CPU during measurement: %s",
                warmupRounds, samples, pgVersion, cpu);
        ctx.report("""
                ## history: paging cost against conversation size

                `GET /api/v1/conversations/{id}/messages?limit=50` as one participant, for the newest page and for
                a page deep in history (`before_id` of a message between 10%% and 90%% of the way in), in a group
                of %,d messages and one of %,d. Aim: median(large) / median(small) <= 1.5.

                | page | p50 %,d msgs | p50 %,d msgs | ratio | p99 small | p99 large | max large |
                |---|---:|---:|---:|---:|---:|---:|
                %s
                %s

                %s
                """.formatted(
                        smallSize,
                        largeSize,
                        smallSize,
                        largeSize,
                        row("newest", lat[0], lat[1], newestRatio),
                        row("deep (before_id)", lat[2], lat[3], deepRatio),
                        ctx.machine(settings)));
    }

    private static String row(String name, Latencies small, Latencies large, double ratio) {
        return String.format(
                "| %s | %s | %s | %.2f | %s | %s | %s |",
                name,
                Latencies.ms(small.quantile(0.5)),
                Latencies.ms(large.quantile(0.5)),
                ratio,
                Latencies.ms(small.quantile(0.99)),
                Latencies.ms(large.quantile(0.99)),
                Latencies.ms(large.max()));
    }

    /**
     * Inserts messages 1..n with consecutive seq and created_at {@code stepMs} apart ending at {@code end}, each id a
     * UUIDv7 of its own created_at (the server bounds partition scans with that), in batches of 100,000.
     */
    private static void seed(Connection db, UUID conversation, UUID a, UUID b, int n, Instant end, long stepMs)
            throws Exception {
        long firstMs = end.toEpochMilli() - (n - 1) * stepMs;
        String sql = """
                INSERT INTO messages (message_id, conversation_id, seq, sender_id, message_type, content, metadata,
                                      created_at)
                SELECT (lpad(to_hex(t.ms), 12, '0') || '7' || substr(t.h, 1, 3) || '8' || substr(t.h, 4, 15))::uuid,
                       ?, t.g, CASE WHEN t.g % 3 = 0 THEN ? ELSE ? END, 'text',
                       'Seeded message ' || t.g || ': ' || (ARRAY['lunch at noon?', 'the release went out',
                           'deploy is green', 'see you on Monday', 'benchmarks are running'])[1 + t.g % 5],
                       '{}'::jsonb, timestamptz 'epoch' + t.ms * interval '1 millisecond'
                FROM (SELECT g, ?::bigint + (g - 1) * ?::bigint AS ms, md5(?::text || g) AS h
                      FROM generate_series(?::bigint, ?::bigint) g) t""";
        db.setAutoCommit(false);
        try (PreparedStatement st = db.prepareStatement(sql)) {
            for (long from = 1; from <= n; from += 100_000) {
                long to = Math.min(n, from + 99_999);
                st.setObject(1, conversation);
                st.setObject(2, a);
                st.setObject(3, b);
                st.setLong(4, firstMs);
                st.setLong(5, stepMs);
                st.setString(6, conversation.toString());
                st.setLong(7, from);
                st.setLong(8, to);
                st.executeUpdate();
                if (n > 100_000) {
                    System.out.printf("  seeded %,d / %,d%n", to, n);
                }
            }
        }
        try (PreparedStatement st = db.prepareStatement("""
                UPDATE conversations
                SET last_seq = ?, last_message_at = timestamptz 'epoch' + ? * interval '1 millisecond',
                       created_at = LEAST(created_at, timestamptz 'epoch' + ? * interval '1 millisecond')
                WHERE conversation_id = ?""")) {
            st.setLong(1, n);
            st.setLong(2, firstMs + (n - 1) * stepMs);
            st.setLong(3, firstMs - 1000);
            st.setObject(4, conversation);
            st.executeUpdate();
        }
        db.commit();
        db.setAutoCommit(true);
    }

    private static List<UUID> cursors(Connection db, UUID conversation, int size, int count, Random random)
            throws Exception {
        List<UUID> out = new ArrayList<>(count);
        try (PreparedStatement st =
                db.prepareStatement("SELECT message_id FROM messages WHERE conversation_id = ? AND seq = ?")) {
            for (int i = 0; i < count; i++) {
                long seq = size / 10 + random.nextInt(Math.max(1, size * 8 / 10));
                st.setObject(1, conversation);
                st.setLong(2, seq);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    out.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return out;
    }

    private static void check(Api api, UUID conversation, UUID before, String token) {
        String path = page(api, conversation, before).toString().substring(api.base.length());
        JsonNode page = api.call("GET", path, token, null, 200);
        if (page.path("messages").size() != PAGE || !page.path("has_more").asBoolean()) {
            throw new IllegalStateException(
                    path + " gave " + page.path("messages").size() + " messages, has_more " + page.path("has_more"));
        }
    }

    private static URI page(Api api, UUID conversation, UUID before) {
        return URI.create(api.base + "/api/v1/conversations/" + conversation + "/messages?limit=" + PAGE
                + (before == null ? "" : "&before_id=" + before));
    }

    private static String scalar(Connection db, String sql) throws Exception {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
