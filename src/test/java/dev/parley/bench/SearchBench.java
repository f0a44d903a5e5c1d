package dev.parley.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The two searches ({@code GET /messages/search?q=} and {@code GET /conversations/{id}/messages/search?q=}) for a
 * user with a few conversations, first with next to no other messages stored, then with
 * {@code bench.largeSize} (1,000,000) messages of other users: the cost must follow the searcher's own data.
 * The searcher's messages go through the API; the others' are seeded with SQL as sends store them (message and
 * {@code message.new} event in one statement), and the server's own indexer indexes them, timed, before the
 * second measurement. Both worlds share one vocabulary, so every query word is common in the others' messages
 * too: the worst case for an index that did not start from the searcher's conversations.
 */
final class SearchBench {

    private static final String[] PHRASES = {
        "lunch at noon?",
        "the release went out",
        "deploy is green",
        "see you on Monday",
        "benchmarks are running",
        "coffee later?",
        "ship it",
        "can you review my PR"
    };
    private static final String[] QUERIES = {
        "lunch", "release", "deploy green", "\"see you\"", "benchmarks", "coffee -lunch", "ship", "review PR"
    };
    private static final int CONVERSATIONS = 5;
    private static final int PER_CONVERSATION = 100;
    private static final int OTHER_USERS = 1_000;
    private static final int OTHER_CONVERSATIONS = 10_000;

    private SearchBench() {}

    static void run(Bench.Context ctx) throws Exception {
        if (ctx.server().jdbcUrl == null) {
            throw new IllegalStateException("search seeds with SQL: give -Dbench.jdbcUrl=jdbc:postgresql://... "
                    + "(user postgres) along with bench.url");
        }
        Api api = ctx.api();
        int othersSize = ctx.intOpt("bench.largeSize");
        int samples = ctx.intOpt("bench.samples");

        // The searcher: three direct conversations and two groups, 100 messages each.
        Api.User alice = api.register("search", 0);
        List<Api.User> partners = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            partners.add(api.register("search", i));
        }
        List<UUID> mine = new ArrayList<>();
        List<List<Api.User>> others = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(api.direct(alice, partners.get(i)));
            others.add(List.of(partners.get(i)));
        }
        for (List<Api.User> members : List.of(partners.subList(0, 2), partners.subList(1, 4))) {
            mine.add(api.group(alice, "search group", members));
            others.add(members);
        }
        // Half from the searcher, half from the others in each conversation.
        Api.parallel(CONVERSATIONS * PER_CONVERSATION, 8, i -> {
            int c = i % CONVERSATIONS;
            Api.User from = i % 2 == 0
                    ? alice
                    : others.get(c).get(i / CONVERSATIONS % others.get(c).size());
            return api.sendText(from, mine.get(c), "Message " + i + ": " + PHRASES[i % PHRASES.length]);
        });
        String pgVersion;
        try (Connection db = ctx.server().database()) {
            pgVersion = scalar(db, "SHOW server_version");
            awaitIndexed(db, "the searcher's messages");
        }
        Set<String> allowed = new HashSet<>(mine.stream().map(UUID::toString).toList());
        check(api, alice, mine, allowed);

        // The first world also warms the server up (JIT), so it gets three times the warm-up.
        Latencies[] small = measure(api, alice, mine, samples, 3 * warmup(samples), "next to no other messages");

        String catchUp;
        long seeded;
        try (Connection db = ctx.server().database()) {
            long started = System.nanoTime();
            seeded = seedOthers(db, othersSize);
            System.out.printf(
                    "Seeded %,d messages of %,d other users in %,d conversations in %.1f s%n",
                    seeded, OTHER_USERS, OTHER_CONVERSATIONS, (System.nanoTime() - started) / 1e9);
            CpuMeter meter = ctx.cpuMeter();
            meter.start();
            long indexing = System.nanoTime();
            awaitIndexed(db, "the others' messages");
            double seconds = (System.nanoTime() - indexing) / 1e9;
            String cpu = meter.stop();
            catchUp = String.format(
                    "the server's indexer caught up with the %,d seeded messages in %.0f s "
                            + "(%,.0f messages/s; CPU meanwhile: %s)",
                    seeded, seconds, seeded / seconds, cpu);
            System.out.println(catchUp);
            try (Statement st = db.createStatement()) {
                // What autovacuum does after such a load; the GIN pending list is left as the indexer left it.
                st.execute("ANALYZE message_search");
                st.execute("ANALYZE messages");
                st.execute("ANALYZE conversation_participants");
            }
        }
        check(api, alice, mine, allowed);
        CpuMeter meter = ctx.cpuMeter();
        meter.start();
        Latencies[] large = measure(api, alice, mine, samples, warmup(samples), "%,d other messages".formatted(seeded));
        String cpu = meter.stop();

        String[] names = {
            "all my conversations (`/messages/search`)", "one conversation (`/conversations/{id}/messages/search`)"
        };
        StringBuilder rows = new StringBuilder();
        for (int k = 0; k < 2; k++) {
            rows.append(row(names[k], "~0", small[k])).append('\n');
            rows.append(row(names[k], "%,d".formatted(seeded), large[k])).append('\n');
        }
        double globalRatio = (double) large[0].quantile(0.5) / small[0].quantile(0.5);
        double oneRatio = (double) large[1].quantile(0.5) / small[1].quantile(0.5);
        System.out.printf("Median ratio large / small: all %.2f, one %.2f; CPU %s%n", globalRatio, oneRatio, cpu);

        String settings = String.format(
                "one client, sequential requests; per world %d warm-up rounds (three "
                        + "times that in the first, which also warms the server's JIT) then %d "
                        + "measured rounds, each one search of each kind with the next of %d queries in turn "
                        + "(default page "
                        + "of 50 results, each a full message with sender, reactions and reply preview); the "
                        + "searcher's %d "
                        + "messages sent through the API; %,d other users' messages seeded by SQL into %,d "
                        + "conversations of "
                        + "%,d users, indexed by the server's indexer, then `ANALYZE`; search rate limit off; "
                        + "PostgreSQL %s "
                        + "(embedded); CPU during the large-world measurement: %s",
                warmup(samples),
                samples,
                QUERIES.length,
                CONVERSATIONS * PER_CONVERSATION,
                seeded,
                OTHER_CONVERSATIONS,
                OTHER_USERS,
                pgVersion,
                cpu);
        ctx.report("""
                ## search: full-text search against other users' data

                The two searches as a user in %d conversations (3 direct, 2 groups; %d messages each) sees them,
                with next to no other messages stored, then with %,d messages of other users whose words are the
                same. Queries: %s. Aim: p50 < 20 ms, p99 < 100 ms, and no growth with other users' data.

                | search | other users' messages | p50 | p90 | p99 | max | n |
                |---|---:|---:|---:|---:|---:|---:|
                %s

                Median ratio with / without the others' messages: all conversations %.2f, one conversation %.2f.
                Indexing: %s.

                %s
                """.formatted(
                        CONVERSATIONS,
                        PER_CONVERSATION,
                        seeded,
                        String.join(", ", quoted()),
                        rows.toString().strip(),
                        globalRatio,
                        oneRatio,
                        catchUp,
                        ctx.machine(settings)));
    }

    private static int warmup(int samples) {
        return Math.max(50, samples / 5);
    }

    private static Latencies[] measure(
            Api api, Api.User alice, List<UUID> mine, int samples, int warmupRounds, String world) throws Exception {
        Latencies[] lat = {new Latencies(), new Latencies()};
        System.out.printf(
                "Measuring with %s: %d warm-up rounds, then %d measured rounds of 2 searches%n",
                world, warmupRounds, samples);
        for (int round = -warmupRounds; round < samples; round++) {
            int r = Math.floorMod(round, samples);
            String q = QUERIES[r % QUERIES.length];
            URI[] uris = {uri(api, null, q), uri(api, mine.get(r % mine.size()), q)};
            for (int k = 0; k < 2; k++) {
                long t0 = System.nanoTime();
                HttpResponse<String> response = api.send(HttpRequest.newBuilder(uris[k])
                        .header("Authorization", "Bearer " + alice.token())
                        .GET()
                        .build());
                long t = System.nanoTime() - t0;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(
                            uris[k] + " answered " + response.statusCode() + ": " + response.body());
                }
                if (round >= 0) {
                    lat[k].record(t);
                }
            }
            if (round > 0 && round % 100 == 0) {
                System.out.printf(
                        "  %d rounds: all %s, one %s (medians so far)%n",
                        round, Latencies.ms(lat[0].quantile(0.5)), Latencies.ms(lat[1].quantile(0.5)));
            }
        }
        System.out.println("all conversations: " + lat[0].summary());
        System.out.println("one conversation: " + lat[1].summary());
        return lat;
    }

    /** Every query finds the searcher's messages, and only theirs. */
    private static void check(Api api, Api.User alice, List<UUID> mine, Set<String> allowed) {
        for (String q : QUERIES) {
            for (UUID conversation : new UUID[] {null, mine.getFirst()}) {
                String path = uri(api, conversation, q).toString().substring(api.base.length());
                JsonNode page = api.call("GET", path, alice.token(), null, 200);
                if (page.path("messages").isEmpty()) {
                    throw new IllegalStateException(path + " found nothing");
                }
                page.path("messages").forEach(m -> {
                    if (!allowed.contains(m.path("conversation_id").asString())) {
                        throw new IllegalStateException(path + " found a message of another user's conversation");
                    }
                });
            }
        }
    }

    /**
     * Other users, their group conversations (two members each) and {@code n} text messages spread over them in
     * time order, each stored with its {@code message.new} event as a send stores it; in statements of 100,000,
     * all in one transaction, so that the indexer sees none of them until all are there and its catch-up can be
     * timed. Returns how many messages were stored.
     */
    private static long seedOthers(Connection db, int n) throws Exception {
        Instant end = Instant.now().minusSeconds(60);
        long firstMs = end.toEpochMilli() - n;
        db.setAutoCommit(false);
        try (Statement st = db.createStatement()) {
            st.execute("CREATE TEMP TABLE bench_users AS SELECT g AS n, gen_random_uuid() AS id "
                    + "FROM generate_series(0, " + (OTHER_USERS - 1) + ") g");
            st.execute("CREATE TEMP TABLE bench_conversations AS SELECT g AS n, gen_random_uuid() AS id "
                    + "FROM generate_series(0, " + (OTHER_CONVERSATIONS - 1) + ") g");
            st.execute("""
                    INSERT INTO users (user_id, username, display_name, created_at, updated_at)
                    SELECT id, 'bench_other_' || replace(id::text, '-', ''), 'Other ' || n, now(), now()
                    FROM bench_users""");
            st.execute("""
                    INSERT INTO conversations (conversation_id, type, name, created_by, created_at, updated_at,
                                               last_message_at, last_seq)
                    SELECT c.id, 'group', 'Others ' || c.n, u.id, now(), now(), now(), 0
                    FROM bench_conversations c JOIN bench_users u ON u.n = c.n %% %d""".formatted(OTHER_USERS));
            st.execute("""
                    INSERT INTO conversation_participants (participant_id, conversation_id, user_id, role, joined_at)
                    SELECT gen_random_uuid(), c.id, u.id, CASE WHEN k = 0 THEN 'owner' ELSE 'member' END, now()
                    FROM bench_conversations c CROSS JOIN generate_series(0, 1) k
                    JOIN bench_users u ON u.n = (c.n + k * 7) %% %d""".formatted(OTHER_USERS));
        }
        String insert = """
                WITH stored AS (
                    INSERT INTO messages (message_id, conversation_id, seq, sender_id, message_type, content,
                                          metadata, created_at)
                    SELECT (lpad(to_hex(t.ms), 12, '0') || '7' || substr(t.h, 1, 3) || '8' || substr(t.h, 4, 15))::uuid,
                           c.id, t.g / %1$d + 1, u.id, 'text',
                           'Message ' || t.g || ': ' || (ARRAY['lunch at noon?', 'the release went out',
                               'deploy is green', 'see you on Monday', 'benchmarks are running', 'coffee later?',
                               'ship it', 'can you review my PR'])[1 + t.g %% 8],
                           '{}'::jsonb, timestamptz 'epoch' + t.ms * interval '1 millisecond'
                    FROM (SELECT g, ?::bigint + g AS ms, md5('others' || g) AS h
                          FROM generate_series(?::bigint, ?::bigint) g) t
                    JOIN bench_conversations c ON c.n = t.g %% %1$d
                    JOIN bench_users u ON u.n = (c.n + (t.g %% 2) * 7) %% %2$d
                    RETURNING message_id, conversation_id, seq, sender_id, created_at)
                INSERT INTO events (conversation_id, type, actor_id, message_id, data)
                SELECT conversation_id, 'message.new', sender_id, message_id,
                       jsonb_build_object('seq', seq, 'created_at', created_at, 'system', false)
                FROM stored ORDER BY conversation_id, seq""".formatted(OTHER_CONVERSATIONS, OTHER_USERS);
        long stored = 0;
        try (PreparedStatement st = db.prepareStatement(insert)) {
            for (long from = 0; from < n; from += 100_000) {
                long to = Math.min(n, from + 100_000) - 1;
                st.setLong(1, firstMs);
                st.setLong(2, from);
                st.setLong(3, to);
                stored += st.executeUpdate();
                System.out.printf("  seeded %,d / %,d%n", to + 1, n);
            }
        }
        try (Statement st = db.createStatement()) {
            st.execute("""
                    UPDATE conversations c SET last_seq = s.last, last_message_at = s.newest
                    FROM (SELECT conversation_id, max(seq) AS last, max(created_at) AS newest FROM messages
                          WHERE conversation_id IN (SELECT id FROM bench_conversations) GROUP BY conversation_id) s
                    WHERE c.conversation_id = s.conversation_id""");
        }
        db.commit();
        db.setAutoCommit(true);
        return stored;
    }

    /** Waits until the indexer's cursor has passed every message event, printing progress. */
    private static void awaitIndexed(Connection db, String what) throws Exception {
        String left = """
                SELECT count(*) FROM events e, message_search_cursor c
                WHERE e.type IN ('message.new', 'message.updated', 'message.deleted')
                  AND (e.xid, e.event_id) > (c.xid, c.event_id)""";
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        long last = -1;
        while (System.nanoTime() < deadline) {
            long remaining = Long.parseLong(scalar(db, left));
            if (remaining == 0) {
                System.out.println("Indexed: " + what);
                return;
            }
            if (last < 0 || last - remaining >= 100_000) {
                System.out.printf("  %,d message events left to index%n", remaining);
                last = remaining;
            }
            Thread.sleep(2_000);
        }
        throw new IllegalStateException("The search index did not catch up with " + what + " in 30 minutes");
    }

    private static URI uri(Api api, UUID conversation, String q) {
        String where = conversation == null ? "/api/v1" : "/api/v1/conversations/" + conversation;
        return URI.create(api.base + where + "/messages" + "/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
    }

    private static List<String> quoted() {
        return Arrays.stream(QUERIES).map(q -> "`" + q + "`").toList();
    }

    private static String row(String name, String others, Latencies l) {
        return String.format(
                "| %s | %s | %s | %s | %s | %s | %d |",
                name,
                others,
                Latencies.ms(l.quantile(0.5)),
                Latencies.ms(l.quantile(0.9)),
                Latencies.ms(l.quantile(0.99)),
                Latencies.ms(l.max()),
                l.count());
    }

    private static String scalar(Connection db, String sql) throws Exception {
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
