package dev.parley.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** {@code audit_log}, its chain head and its retention anchor (V11). */
@Repository
class AuditRepository {

    /** Where the next entry goes. */
    record Head(long lastSeq, byte[] lastHash) {}

    /** Where verification starts. */
    record Anchor(long firstSeq, byte[] prevHash) {}

    private static final String COLUMNS =
            "seq, entry_id, at, actor_id, action, target_type, target_id, ip, details, prev_hash, hash";

    private final JdbcClient jdbc;

    AuditRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The head, locked until the caller's transaction ends: this is what serialises appends on every node. */
    Head lockHead() {
        return jdbc.sql("SELECT last_seq, last_hash FROM audit_chain_head FOR UPDATE")
                .query((rs, i) -> new Head(rs.getLong(1), rs.getBytes(2)))
                .single();
    }

    Head head() {
        return jdbc.sql("SELECT last_seq, last_hash FROM audit_chain_head")
                .query((rs, i) -> new Head(rs.getLong(1), rs.getBytes(2)))
                .single();
    }

    /** Appends; the table's trigger checks that it continues the chain and moves the head. */
    void insert(ChainEntry e) {
        jdbc.sql("INSERT INTO audit_log (" + COLUMNS + ") VALUES (:seq, :id, :at, :actor, :action, :targetType, "
                        + ":targetId, :ip, :details, :prevHash, :hash)")
                .param("seq", e.seq())
                .param("id", e.entryId())
                .param("at", timestamp(e.at()))
                .param("actor", e.actorId())
                .param("action", e.action())
                .param("targetType", e.targetType())
                .param("targetId", e.targetId())
                .param("ip", e.ip())
                .param("details", e.details())
                .param("prevHash", e.prevHash())
                .param("hash", e.hash())
                .update();
    }

    Anchor anchor() {
        return jdbc.sql("SELECT first_seq, prev_hash FROM audit_anchor")
                .query((rs, i) -> new Anchor(rs.getLong(1), rs.getBytes(2)))
                .single();
    }

    /** The anchor, locked, so that two purges never interleave. */
    Anchor lockAnchor() {
        return jdbc.sql("SELECT first_seq, prev_hash FROM audit_anchor FOR UPDATE")
                .query((rs, i) -> new Anchor(rs.getLong(1), rs.getBytes(2)))
                .single();
    }

    /** Up to {@code limit} entries from {@code fromSeq} on, in chain order (a keyset page). */
    List<ChainEntry> chainPage(long fromSeq, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM audit_log WHERE seq >= :from ORDER BY seq LIMIT :limit")
                .param("from", fromSeq)
                .param("limit", limit)
                .query((rs, i) -> entry(rs))
                .list();
    }

    /** Entries matching the filter below {@code beforeSeq} (null: from the newest), newest first. */
    List<ChainEntry> page(AuditFilter filter, Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM audit_log WHERE true");
        Map<String, Object> params = new HashMap<>();
        // Only the conditions given, so each query can use the index of its filter.
        condition(sql, params, "seq < :before", "before", beforeSeq);
        condition(sql, params, "actor_id = :actor", "actor", filter.actorId());
        condition(
                sql,
                params,
                "target_type = :targetType",
                "targetType",
                filter.targetType() == null ? null : filter.targetType().wireName());
        condition(sql, params, "target_id = :targetId", "targetId", filter.targetId());
        condition(
                sql,
                params,
                "action = :action",
                "action",
                filter.action() == null ? null : filter.action().wireName());
        condition(sql, params, "at >= :since", "since", timestamp(filter.since()));
        condition(sql, params, "at < :until", "until", timestamp(filter.until()));
        sql.append(" ORDER BY seq DESC LIMIT :limit");
        params.put("limit", limit);
        return jdbc.sql(sql.toString())
                .params(params)
                .query((rs, i) -> entry(rs))
                .list();
    }

    /**
     * The first entry from {@code fromSeq} to {@code toSeq} written at or after {@code cutoff}; empty when all of
     * them are older. Bounded to that range, so the purge never scans the kept part of a large log.
     */
    OptionalLong firstSeqSince(long fromSeq, long toSeq, Instant cutoff) {
        return jdbc.sql("""
                SELECT seq FROM audit_log WHERE seq BETWEEN :from AND :to AND at >= :cutoff
                ORDER BY seq LIMIT 1""")
                .param("from", fromSeq)
                .param("to", toSeq)
                .param("cutoff", timestamp(cutoff))
                .query(Long.class)
                .optional()
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty());
    }

    /** Moves the anchor to the kept entry {@code firstSeq}, taking over its prev_hash (the table's trigger checks). */
    void moveAnchor(long firstSeq, Instant now) {
        jdbc.sql("""
                UPDATE audit_anchor
                SET first_seq = :first, purged_at = :now,
                    prev_hash = (SELECT prev_hash FROM audit_log WHERE seq = :first)
                    """).param("first", firstSeq).param("now", timestamp(now)).update();
    }

    /** Deletes the entries before the anchor; the table's trigger refuses any at or after it. */
    int deleteBefore(long seq) {
        return jdbc.sql("DELETE FROM audit_log WHERE seq < :seq")
                .param("seq", seq)
                .update();
    }

    private static void condition(
            StringBuilder sql, Map<String, Object> params, String clause, String name, Object value) {
        if (value != null) {
            sql.append(" AND ").append(clause);
            params.put(name, value);
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static ChainEntry entry(ResultSet rs) throws SQLException {
        return new ChainEntry(
                rs.getLong("seq"),
                rs.getObject("entry_id", UUID.class),
                rs.getObject("at", OffsetDateTime.class).toInstant(),
                rs.getObject("actor_id", UUID.class),
                rs.getString("action"),
                rs.getString("target_type"),
                rs.getString("target_id"),
                rs.getString("ip"),
                rs.getString("details"),
                rs.getBytes("prev_hash"),
                rs.getBytes("hash"));
    }
}
