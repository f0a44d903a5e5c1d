package dev.parley.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * PostgreSQL's own counters around a measured window (transactions, WAL bytes and WAL syncs), so a run can say
 * what each request costs the database: e.g. how many commits and fsyncs one send takes.
 */
final class DbStats {

    private final BenchServer server;
    private long[] start;

    DbStats(BenchServer server) {
        this.server = server;
    }

    void start() {
        start = sample();
    }

    /** Per-request figures since {@link #start()}, or "n/a" without database access. */
    String perRequest(long requests) {
        long[] end = sample();
        if (start == null || end == null || requests <= 0) {
            return "n/a";
        }
        return String.format(
                "%.2f commits, %.2f WAL syncs, %,.0f WAL bytes per request",
                (end[0] - start[0]) / (double) requests,
                (end[2] - start[2]) / (double) requests,
                (end[1] - start[1]) / (double) requests);
    }

    private long[] sample() {
        if (server.jdbcUrl == null) {
            return null;
        }
        try (Connection db = server.database();
                Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("""
                        SELECT (SELECT sum(xact_commit) FROM pg_stat_database)::bigint,
                               w.wal_bytes::bigint, w.wal_sync::bigint
                        FROM pg_stat_wal w""")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        } catch (Exception e) {
            System.out.println("No database counters: " + e.getMessage());
            return null;
        }
    }
}
