package dev.parley.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Stored messages for {@link EverydayBench} ({@code bench.prefill}): the tables filled before the load. */
final class Prefill {

    private Prefill() {}

    /**
     * {@code total} messages spread evenly over the users' direct conversations, with what a send writes beside
     * them (a {@code message.new} event, an idempotency key, a search entry), their seqs continuing to the
     * conversation's {@code last_seq}; the log consumers' cursors are moved past them, as if they had handled them.
     * Times lie in the hour before now, 10 ms apart within a conversation.
     */
    static void run(BenchServer server, List<UUID> directs, List<UUID> senders, long total) throws Exception {
        int conversations = directs.size();
        long per = Math.max(1, total / conversations);
        int chunk = (int) Math.max(1, 100_000 / per);
        long started = System.nanoTime();
        System.out.printf(
                "Pre-filling %,d messages (%,d in each of %,d conversations)%n",
                per * conversations, per, conversations);
        try (Connection db = server.database()) {
            for (int from = 0; from < conversations; from += chunk) {
                int to = Math.min(conversations, from + chunk);
                String[] cids =
                        directs.subList(from, to).stream().map(UUID::toString).toArray(String[]::new);
                String[] authors =
                        senders.subList(from, to).stream().map(UUID::toString).toArray(String[]::new);
                db.setAutoCommit(false);
                try (Statement st = db.createStatement()) {
                    // The log's consumers (search indexer, push notifications) wait for this transaction and then
                    // start past the seeded events, as if they had handled them; otherwise they would work through
                    // the backlog during the measurements.
                    st.execute("SELECT pg_advisory_xact_lock(hashtext('parley_notify_consumer')), "
                            + "pg_advisory_xact_lock(hashtext('parley_message_search_indexer'))");
                }
                try (PreparedStatement st = db.prepareStatement(PREFILL)) {
                    st.setLong(1, per);
                    st.setLong(2, Instant.now().toEpochMilli() - 3_600_000L - per * 10);
                    st.setArray(3, db.createArrayOf("uuid", cids));
                    st.setArray(4, db.createArrayOf("uuid", authors));
                    st.execute();
                }
                try (Statement st = db.createStatement()) {
                    String newest = "(SELECT xid, event_id FROM events ORDER BY xid DESC, event_id DESC LIMIT 1)";
                    st.execute("UPDATE message_search_cursor SET (xid, event_id) = " + newest);
                    st.execute("UPDATE log_consumers SET (xid, event_id) = " + newest);
                }
                db.commit();
                db.setAutoCommit(true);
                if (from / chunk % 5 == 0) {
                    System.out.printf("  %,d conversations filled%n", to);
                }
            }
            try (Statement st = db.createStatement()) {
                // A settled database, as in steady operation: otherwise autovacuum works through the new rows (and
                // the search index's) during the measurements, and its CPU counts as PostgreSQL's per message.
                st.execute("VACUUM (ANALYZE)");
                st.execute("CHECKPOINT");
            }
        }
        System.out.printf("Pre-filled in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static final String PREFILL = """
            WITH p AS (SELECT ?::bigint AS per, ?::bigint AS base),
            c AS (SELECT * FROM unnest(?::uuid[], ?::uuid[]) AS c(cid, sender)),
            rows AS (
                SELECT c.cid, c.sender, g AS seq, p.base + g * 10 AS ms, md5(c.cid::text || g) AS h
                FROM p, c CROSS JOIN LATERAL generate_series(1, p.per) g),
            m AS (
                INSERT INTO messages (message_id, conversation_id, seq, sender_id, message_type, content, metadata,
                                      created_at)
                SELECT (lpad(to_hex(ms), 12, '0') || '7' || substr(h, 1, 3) || '8' || substr(h, 4, 15))::uuid,
                       cid, seq, sender, 'text', 'seeded words number ' || seq || ' of an everyday chat', '{}'::jsonb,
                       timestamptz 'epoch' + ms * interval '1 millisecond'
                FROM rows
                RETURNING message_id, conversation_id, seq, sender_id, 'seed-' || seq AS client_message_id, created_at,
                          content),
            e AS (
                INSERT INTO events (conversation_id, type, actor_id, message_id, data, created_at)
                SELECT conversation_id, 'message.new', sender_id, message_id,
                       jsonb_build_object('seq', seq, 'created_at', created_at, 'system', FALSE), created_at
                FROM m ORDER BY conversation_id, seq),
            k AS (
                INSERT INTO message_idempotency (conversation_id, sender_id, client_message_id, message_id, created_at)
                SELECT conversation_id, sender_id, client_message_id, message_id, created_at FROM m),
            s AS (
                INSERT INTO message_search (message_id, conversation_id, seq, created_at, tsv)
                SELECT message_id, conversation_id, seq, created_at, to_tsvector('english', content) FROM m)
            UPDATE conversations SET last_seq = (SELECT per FROM p), last_message_at = now() - interval '1 hour'
            WHERE conversation_id IN (SELECT cid FROM c)""";
}
