package dev.parley.auth;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The revocation feed ({@code revocations}), tailed by every node in (xid, revocation_id) order. */
@Repository
class RevocationRepository {

    /** A position in the feed. */
    record Position(long xid, long id) implements Comparable<Position> {

        static final Position START = new Position(0, 0);

        @Override
        public int compareTo(Position other) {
            int byXid = Long.compareUnsigned(xid, other.xid);
            return byXid != 0 ? byXid : Long.compare(id, other.id);
        }
    }

    /**
     * One revocation; {@code sessionId} null means every token of the user issued up to {@code createdAt}.
     * {@code settled}: its transaction is older than every one still running, so nothing can commit before it.
     */
    record Row(Position position, UUID userId, UUID sessionId, Instant createdAt, boolean settled) {}

    private static final String COLUMNS = "xid::text, revocation_id, user_id, session_id, created_at";

    private static final RowMapper<Row> WRITTEN = (rs, i) -> new Row(
            new Position(Long.parseUnsignedLong(rs.getString(1)), rs.getLong(2)),
            rs.getObject(3, UUID.class),
            rs.getObject(4, UUID.class),
            rs.getTimestamp(5).toInstant(),
            false);

    private final JdbcClient jdbc;

    RevocationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Appends one row per session, in the caller's transaction. */
    List<Row> appendSessions(UUID userId, Collection<UUID> sessionIds, Instant now) {
        if (sessionIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                INSERT INTO revocations (kind, user_id, session_id, created_at)
                SELECT 'session', :user, s, :now FROM unnest(:sessions) AS s
                RETURNING\s""" + COLUMNS)
                .param("user", userId)
                .param("sessions", sessionIds.toArray(UUID[]::new))
                .param("now", Timestamp.from(now))
                .query(WRITTEN)
                .list();
    }

    /** Appends a row that ends every token of the user issued so far, in the caller's transaction. */
    Row appendUser(UUID userId, Instant now) {
        return jdbc.sql("INSERT INTO revocations (kind, user_id, created_at) VALUES ('user', :user, :now) RETURNING "
                        + COLUMNS)
                .param("user", userId)
                .param("now", Timestamp.from(now))
                .query(WRITTEN)
                .single();
    }

    /** Rows after {@code after}, in feed order, each saying whether it is settled. */
    List<Row> after(Position after, int limit) {
        return jdbc.sql("""
                WITH horizon AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x)
                SELECT xid::text, revocation_id, user_id, session_id, created_at, xid < (SELECT x FROM horizon)
                FROM revocations
                WHERE (xid, revocation_id) > (CAST(:xid AS xid8), :id)
                ORDER BY xid, revocation_id
                LIMIT :limit""")
                .param("xid", Long.toUnsignedString(after.xid()))
                .param("id", after.id())
                .param("limit", limit)
                .query((rs, i) -> new Row(
                        new Position(Long.parseUnsignedLong(rs.getString(1)), rs.getLong(2)),
                        rs.getObject(3, UUID.class),
                        rs.getObject(4, UUID.class),
                        rs.getTimestamp(5).toInstant(),
                        rs.getBoolean(6)))
                .list();
    }

    int purge(Instant before) {
        return jdbc.sql("DELETE FROM revocations WHERE created_at < :before")
                .param("before", Timestamp.from(before))
                .update();
    }
}
