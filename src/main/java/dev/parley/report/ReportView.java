package dev.parley.report;

import dev.parley.message.MessageView;
import dev.parley.user.UserView;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A report as the admins' queue shows it: who reported ({@code reporterId} null and {@code bySystem} true for image
 * moderation), what ({@code targetType} message or user, {@code targetId}), about whom ({@code reportedUser}),
 * what it looked like then ({@code snapshot}), the messages around a reported message as they are now
 * ({@code context}, oldest first; empty for a user report), and how it was resolved.
 */
public record ReportView(
        UUID reportId,
        String status,
        String reason,
        String note,
        UUID reporterId,
        boolean bySystem,
        String targetType,
        UUID targetId,
        UserView reportedUser,
        UUID conversationId,
        JsonNode snapshot,
        List<MessageView> context,
        Instant createdAt,
        Resolution resolution) {

    /** {@code {action, note, resolved_by, resolved_at}}. */
    public record Resolution(String action, String note, UUID resolvedBy, Instant resolvedAt) {}

    ReportView withContext(List<MessageView> messages, UserView reported) {
        return new ReportView(
                reportId,
                status,
                reason,
                note,
                reporterId,
                bySystem,
                targetType,
                targetId,
                reported,
                conversationId,
                snapshot,
                messages,
                createdAt,
                resolution);
    }
}
