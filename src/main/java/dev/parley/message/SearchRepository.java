package dev.parley.message;

import dev.parley.eventlog.EventType;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The search index ({@code message_search}, see V6): finding messages in it, and keeping it up from the catch-up
 * log ({@code events}, written through the eventlog module in the transaction of each change).
 */
@Repository
class SearchRepository {

    /** A message found: where it sits, and the time that locates its row in {@code messages}. */
    record Hit(UUID messageId, UUID conversationId, long seq, Instant createdAt) {}

    /** Where a search page ended: (created_at, conversation_id, seq) is unique, so paging skips no tie. */
    record SearchCursor(Instant createdAt, UUID conversationId, long seq) {}

    /**
     * Matches among the searcher's active conversations (or the one given, whose membership the caller checked),
     * newest first. The GIN index on (conversation_id, tsv) is probed once per conversation, for the rows both of
     * that conversation and of the query's words, so the cost follows the searcher's own messages (times the log
     * of the index's size), however many others the table holds. Its order cannot come from the index: all
     * matches are read, then sorted.
     */
    private static final String FIND = """
            SELECT s.message_id, s.conversation_id, s.seq, s.created_at
            FROM message_search s
            WHERE %s
              AND s.tsv @@ websearch_to_tsquery('english', :q)%s
            ORDER BY s.created_at DESC, s.conversation_id DESC, s.seq DESC
            LIMIT :limit""";

    private static final String IN_MY_CONVERSATIONS = """
            s.conversation_id = ANY(ARRAY(
                SELECT conversation_id FROM active_participants WHERE user_id = :searcher))""";

    private static final String BEFORE = """

              AND (s.created_at, s.conversation_id, s.seq) < (:before, :beforeCid, :beforeSeq)""";

    /**
     * One indexing step over the next {@code :batch} message events of the log. Only events of transactions below
     * the oldest one still running are read (sync's rule, see realtime's SyncRepository): all of those have
     * finished, so no event can later commit behind the cursor. Each message touched is brought to its current
     * state, whatever the event said: indexed when it is a live text or captioned image message, removed
     * otherwise. So events may be replayed, or arrive in any order, and the index still converges on the table.
     * The LATERAL ... LIMIT 1 keeps the lookup a probe by primary key (pruned to one partition at run time) rather
     * than a join the planner might turn into a scan of every message. The log is read through its commit-order
     * index idx_events_xid_event (V18), the other events skipped as they come.
     */
    private static final String INDEX_BATCH = """
            WITH horizon AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x),
            cursor AS MATERIALIZED (SELECT xid, event_id FROM message_search_cursor),
            batch AS MATERIALIZED (
                SELECT e.xid, e.event_id, e.type, e.conversation_id, e.message_id, e.data
                FROM events e
                WHERE e.type IN (%1$s)
                  AND (e.xid, e.event_id) > (SELECT xid, event_id FROM cursor)
                  AND e.xid < (SELECT x FROM horizon)
                ORDER BY e.xid, e.event_id
                LIMIT :batch),
            touched AS MATERIALIZED (
                SELECT DISTINCT ON (b.message_id) b.message_id, b.type,
                       CAST(b.data ->> 'created_at' AS timestamptz) AS created_at
                FROM batch b
                WHERE b.message_id IS NOT NULL AND (b.data ->> 'system') IS DISTINCT FROM 'true'
                ORDER BY b.message_id, b.type = %2$s DESC),
            live AS MATERIALIZED (
                SELECT m.message_id, m.conversation_id, m.seq, m.created_at, to_tsvector('english', m.content) AS tsv
                FROM touched t
                CROSS JOIN LATERAL (
                    SELECT m.message_id, m.conversation_id, m.seq, m.created_at, m.content FROM messages m
                    WHERE m.message_id = t.message_id AND m.created_at = t.created_at
                      AND NOT m.is_deleted AND m.message_type IN ('text', 'image') AND m.content IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM conversations c
                                      WHERE c.conversation_id = m.conversation_id AND c.e2ee)
                    LIMIT 1) m
                WHERE t.type <> %2$s),
            removed AS (
                DELETE FROM message_search s USING touched t
                WHERE s.message_id = t.message_id
                  AND NOT EXISTS (SELECT 1 FROM live l WHERE l.message_id = t.message_id)),
            stored AS (
                INSERT INTO message_search (message_id, conversation_id, seq, created_at, tsv)
                SELECT message_id, conversation_id, seq, created_at, tsv FROM live
                ON CONFLICT (message_id) DO UPDATE SET tsv = EXCLUDED.tsv
                WHERE message_search.tsv IS DISTINCT FROM EXCLUDED.tsv),
            newest AS (
                SELECT xid, event_id FROM batch ORDER BY xid DESC, event_id DESC LIMIT 1),
            moved AS (
                UPDATE message_search_cursor c SET xid = n.xid, event_id = n.event_id, updated_at = now()
                FROM newest n)
            SELECT count(*) FROM batch""".formatted(
                    EventType.sqlList(EventType.MESSAGE_NEW, EventType.MESSAGE_UPDATED, EventType.MESSAGE_DELETED),
                    EventType.MESSAGE_DELETED.sql());

    private final JdbcClient jdbc;

    SearchRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Bounds the statements that follow in the caller's transaction (a read-only one; the bound ends with it).
     * Over it, PostgreSQL cancels the statement with SQLSTATE 57014.
     */
    void limitStatementTime(Duration timeout) {
        jdbc.sql("SELECT set_config('statement_timeout', :ms, true)")
                .param("ms", Long.toString(timeout.toMillis()))
                .query(String.class)
                .single();
    }

    /** Full-text matches, newest first, in one conversation when given, else in all the searcher is active in. */
    List<Hit> find(UUID searcher, UUID conversationId, String query, SearchCursor before, int limit) {
        // Optional filters are spelled into the statement, not left as "param IS NULL OR ...", so that cached
        // generic plans keep them as index conditions.
        String sql = FIND.formatted(
                conversationId == null ? IN_MY_CONVERSATIONS : "s.conversation_id = :cid",
                before == null ? "" : BEFORE);
        var statement = jdbc.sql(sql).param("q", query).param("limit", limit);
        statement =
                conversationId == null ? statement.param("searcher", searcher) : statement.param("cid", conversationId);
        if (before != null) {
            statement = statement
                    .param("before", Timestamp.from(before.createdAt()))
                    .param("beforeCid", before.conversationId())
                    .param("beforeSeq", before.seq());
        }
        return statement
                .query((rs, i) -> new Hit(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getLong(3),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }

    /**
     * Makes this transaction the indexer until it ends, or answers false when another node's indexer is at work
     * now. A transaction-level advisory lock: nothing is written to take it, so an idle turn (nothing to index)
     * writes nothing at all, and it is released with the transaction, even by a node that dies.
     */
    boolean claimIndexer() {
        return Boolean.TRUE.equals(jdbc.sql("""
                SELECT pg_try_advisory_xact_lock(hashtext('parley_message_search_indexer'))
                """).query(Boolean.class).single());
    }

    /**
     * Indexes the next message events after the cursor, at most {@code batch} of them, and moves the cursor past
     * them; in the caller's transaction, after {@link #claimIndexer} (in an earlier statement, so that this one's
     * snapshot sees the cursor as the previous indexer committed it). Returns how many events were read: fewer
     * than {@code batch} means the index has caught up with the horizon.
     */
    int indexNext(int batch) {
        return jdbc.sql(INDEX_BATCH).param("batch", batch).query(Integer.class).single();
    }
}
