package dev.parley.report;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** The {@code reports} table (V13). */
@Repository
class ReportRepository {

    /** A new report; {@code reporterId} null for the system's. */
    record NewReport(
            UUID reportId,
            UUID reporterId,
            String targetType,
            UUID targetId,
            UUID reportedUserId,
            UUID conversationId,
            String reason,
            String note,
            String snapshot,
            Instant createdAt) {}

    private static final String COLUMNS = """
            report_id, status, reason, note, reporter_id, by_system, target_type, target_id, reported_user_id,
            conversation_id, snapshot, created_at, resolution, resolution_note, resolved_by, resolved_at""";

    /** A stored report and the user it is about. */
    record Row(ReportView view, UUID reportedUserId) {}

    private final JdbcClient jdbc;
    private final RowMapper<Row> mapper;

    ReportRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.mapper = (rs, i) -> new Row(
                new ReportView(
                        rs.getObject("report_id", UUID.class),
                        rs.getString("status"),
                        rs.getString("reason"),
                        rs.getString("note"),
                        rs.getObject("reporter_id", UUID.class),
                        rs.getBoolean("by_system"),
                        rs.getString("target_type"),
                        rs.getObject("target_id", UUID.class),
                        null,
                        rs.getObject("conversation_id", UUID.class),
                        json.readTree(rs.getString("snapshot")),
                        List.of(),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getString("resolution") == null
                                ? null
                                : new ReportView.Resolution(
                                        rs.getString("resolution"),
                                        rs.getString("resolution_note"),
                                        rs.getObject("resolved_by", UUID.class),
                                        rs.getTimestamp("resolved_at").toInstant())),
                rs.getObject("reported_user_id", UUID.class));
    }

    /**
     * Files the report unless the same reporter (or the system) has an open one of this target; either way the
     * id of the open report.
     */
    UUID insert(NewReport report) {
        boolean system = report.reporterId() == null;
        Optional<UUID> inserted = jdbc.sql("""
                INSERT INTO reports (report_id, reporter_id, by_system, target_type, target_id, reported_user_id,
                                     conversation_id, reason, note, snapshot, created_at)
                VALUES (:id, :reporter, :system, :type, :target, :reported, :conversation, :reason, :note,
                        :snapshot, :now)
                ON CONFLICT DO NOTHING
                RETURNING report_id""")
                .param("id", report.reportId())
                .param("reporter", report.reporterId())
                .param("system", system)
                .param("type", report.targetType())
                .param("target", report.targetId())
                .param("reported", report.reportedUserId())
                .param("conversation", report.conversationId())
                .param("reason", report.reason())
                .param("note", report.note())
                .param("snapshot", report.snapshot())
                .param("now", Timestamp.from(report.createdAt()))
                .query(UUID.class)
                .optional();
        return inserted.orElseGet(() -> jdbc.sql("""
                SELECT report_id FROM reports
                WHERE status = 'open' AND target_type = :type AND target_id = :target
                  AND (CASE WHEN :system THEN by_system ELSE reporter_id = :reporter END)""")
                .param("type", report.targetType())
                .param("target", report.targetId())
                .param("system", system)
                .param("reporter", report.reporterId())
                .query(UUID.class)
                .optional()
                .orElse(report.reportId()));
    }

    /** Open reports oldest first, resolved ones newest first, after the report {@code after} (null: from the top). */
    List<Row> page(boolean open, UUID after, int limit) {
        String order = open ? "ASC" : "DESC";
        String cursor = after == null ? "" : open ? " AND report_id > :after" : " AND report_id < :after";
        return jdbc.sql("SELECT " + COLUMNS + " FROM reports WHERE status = :status" + cursor + " ORDER BY report_id "
                        + order + " LIMIT :limit")
                .param("status", open ? "open" : "resolved")
                .param("after", after)
                .param("limit", limit)
                .query(mapper)
                .list();
    }

    Optional<Row> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM reports WHERE report_id = :id")
                .param("id", id)
                .query(mapper)
                .optional();
    }

    /** Resolves an open report; empty when it is unknown or already resolved. Locks it until the transaction ends. */
    Optional<Row> resolve(UUID id, String action, String note, UUID by, Instant now) {
        return jdbc.sql("UPDATE reports SET status = 'resolved', resolution = :action, resolution_note = :note, "
                        + "resolved_by = :by, resolved_at = :now WHERE report_id = :id AND status = 'open' RETURNING "
                        + COLUMNS)
                .param("action", action)
                .param("note", note)
                .param("by", by)
                .param("now", Timestamp.from(now))
                .param("id", id)
                .query(mapper)
                .optional();
    }
}
