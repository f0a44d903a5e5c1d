package dev.parley.report;

import dev.parley.attachment.AttachmentRejected;
import dev.parley.common.ErrorCode;
import dev.parley.common.Ids;
import dev.parley.common.ParleyException;
import dev.parley.message.MessageReader;
import dev.parley.message.MessageView;
import dev.parley.moderation.RateLimit;
import dev.parley.moderation.RateLimiter;
import dev.parley.user.UserService;
import dev.parley.user.UserView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reports of messages and users: filed by participants (a message only by its conversation's participants) or by
 * the system (image moderation), with what was reported snapshotted, one open report per reporter and target; and
 * the admins' side: the queue, one report, resolving. Metrics: {@code reports.opened{target_type, source}},
 * {@code reports.resolved{action}}.
 */
@Service
public class ReportService {

    private static final Logger log = LoggerFactory.getLogger(ReportService.class);
    public static final int DEFAULT_PAGE = 20;
    public static final int MAX_PAGE = 50;
    /** Messages shown before and after a reported one. */
    static final int CONTEXT = 3;

    /** A report just resolved, and the user it is about (whom a suspension would concern). */
    public record Resolved(ReportView report, UUID reportedUserId) {}

    private final ReportRepository reports;
    private final MessageReader messages;
    private final UserService users;
    private final RateLimiter limits;
    private final JsonMapper json;
    private final MeterRegistry registry;
    private final Clock clock;

    ReportService(
            ReportRepository reports,
            MessageReader messages,
            UserService users,
            RateLimiter limits,
            JsonMapper json,
            MeterRegistry registry,
            Clock clock) {
        this.reports = reports;
        this.messages = messages;
        this.users = users;
        this.limits = limits;
        this.json = json;
        this.registry = registry;
        this.clock = clock;
    }

    /** Throws MESSAGE_NOT_FOUND (not a participant, or no such message), RATE_LIMIT_EXCEEDED. */
    @Transactional
    public ReportReceipt reportMessage(UUID reporter, UUID messageId, ReportRequest request) {
        MessageView message = messages.get(reporter, messageId);
        limits.acquire(reporter, RateLimit.REPORT);
        return file(
                reporter,
                "message",
                messageId,
                message.senderId(),
                message.conversationId(),
                request.reason(),
                note(request.note()),
                snapshot(message));
    }

    /** Throws USER_NOT_FOUND, VALIDATION_FAILED (oneself), RATE_LIMIT_EXCEEDED. */
    @Transactional
    public ReportReceipt reportUser(UUID reporter, UUID userId, ReportRequest request) {
        if (reporter.equals(userId)) {
            throw ParleyException.validation("user_id", "You cannot report yourself");
        }
        UserView user = users.get(userId);
        limits.acquire(reporter, RateLimit.REPORT);
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("user_id", user.userId());
        snapshot.put("username", user.username());
        snapshot.put("display_name", user.displayName());
        snapshot.put("profile_photo_url", user.profilePhotoUrl());
        return file(reporter, "user", userId, userId, null, request.reason(), note(request.note()), snapshot);
    }

    /**
     * The system's report of an image that image moderation refused, with what the provider found (labels, never
     * the image): about its message when one uses it, else about its uploader. Runs in the caller's transaction.
     */
    public ReportReceipt reportImage(AttachmentRejected rejected) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("attachment_id", rejected.attachmentId());
        snapshot.put("uploader_id", rejected.uploaderId());
        snapshot.put("message_id", rejected.messageId());
        snapshot.put("conversation_id", rejected.conversationId());
        snapshot.put("type", "image");
        snapshot.put("image_moderation_labels", rejected.labels());
        boolean message = rejected.messageId() != null;
        return file(
                null,
                message ? "message" : "user",
                message ? rejected.messageId() : rejected.uploaderId(),
                rejected.uploaderId(),
                rejected.conversationId(),
                "other",
                "Image refused by image moderation",
                snapshot);
    }

    /** A page of the queue. Throws VALIDATION_FAILED (status, cursor, limit). */
    public ReportPage list(UUID viewer, String status, String cursor, Integer limit) {
        boolean open = status == null || status.equals("open");
        if (!open && !status.equals("resolved")) {
            throw ParleyException.validation("status", "status must be open or resolved");
        }
        int size = limit == null ? DEFAULT_PAGE : limit;
        if (size < 1 || size > MAX_PAGE) {
            throw ParleyException.validation("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        UUID after = null;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                after = UUID.fromString(cursor);
            } catch (IllegalArgumentException e) {
                throw ParleyException.validation("cursor", "cursor must be a next_cursor of this list");
            }
        }
        List<ReportRepository.Row> rows = reports.page(open, after, size + 1);
        boolean more = rows.size() > size;
        List<ReportRepository.Row> shown = more ? rows.subList(0, size) : rows;
        Map<UUID, UserView> reported = users.getAll(shown.stream()
                .map(ReportRepository.Row::reportedUserId)
                .distinct()
                .toList());
        List<ReportView> views =
                shown.stream().map(row -> full(viewer, row, reported)).toList();
        return new ReportPage(views, more ? views.getLast().reportId().toString() : null);
    }

    /** Throws REPORT_NOT_FOUND. */
    public ReportView get(UUID viewer, UUID reportId) {
        ReportRepository.Row row = reports.find(reportId).orElseThrow(ReportService::notFound);
        return full(viewer, row, users.getAll(List.of(row.reportedUserId())));
    }

    /**
     * Marks an open report resolved, in the caller's transaction (which carries out the action). Throws
     * REPORT_NOT_FOUND, CONFLICT (already resolved).
     */
    public Resolved resolve(UUID reportId, String action, String note, UUID admin) {
        Optional<ReportRepository.Row> done = reports.resolve(reportId, action, note(note), admin, now());
        if (done.isEmpty()) {
            reports.find(reportId).orElseThrow(ReportService::notFound);
            throw new ParleyException(ErrorCode.CONFLICT, "The report is already resolved");
        }
        Counter.builder("reports.resolved")
                .description("Reports resolved by admins")
                .tag("action", action)
                .register(registry)
                .increment();
        return new Resolved(done.get().view(), done.get().reportedUserId());
    }

    private ReportReceipt file(
            UUID reporter,
            String type,
            UUID target,
            UUID reportedUser,
            UUID conversationId,
            String reason,
            String note,
            Map<String, Object> snapshot) {
        Instant now = now();
        UUID id = Ids.uuidV7(now.toEpochMilli());
        UUID stored = reports.insert(new ReportRepository.NewReport(
                id,
                reporter,
                type,
                target,
                reportedUser,
                conversationId,
                reason,
                note,
                json.writeValueAsString(snapshot),
                now));
        if (stored.equals(id)) {
            Counter.builder("reports.opened")
                    .description("Reports filed")
                    .tag("target_type", type)
                    .tag("source", reporter == null ? "system" : "user")
                    .register(registry)
                    .increment();
            log.info(
                    "report_filed report_id={} target_type={} target_id={} by_system={}",
                    id,
                    type,
                    target,
                    reporter == null);
        }
        return new ReportReceipt(stored);
    }

    private ReportView full(UUID viewer, ReportRepository.Row row, Map<UUID, UserView> reported) {
        ReportView view = row.view();
        List<MessageView> context =
                view.targetType().equals("message") ? messages.around(viewer, view.targetId(), CONTEXT) : List.of();
        return view.withContext(context, reported.get(row.reportedUserId()));
    }

    private static Map<String, Object> snapshot(MessageView message) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("message_id", message.messageId());
        snapshot.put("conversation_id", message.conversationId());
        snapshot.put("seq", message.seq());
        snapshot.put("sender_id", message.senderId());
        snapshot.put(
                "sender_username",
                message.sender() == null ? null : message.sender().username());
        snapshot.put(
                "sender_display_name",
                message.sender() == null ? null : message.sender().displayName());
        snapshot.put("type", message.type().wire());
        snapshot.put("content", message.content());
        snapshot.put(
                "attachment_id",
                message.metadata() == null
                        ? null
                        : message.metadata().path("attachment_id").asString(null));
        snapshot.put("is_edited", message.isEdited());
        snapshot.put("is_deleted", message.isDeleted());
        snapshot.put("created_at", message.createdAt().toString());
        return snapshot;
    }

    private static String note(String note) {
        if (note == null || note.isBlank()) {
            return null;
        }
        String clean = note.strip();
        return clean.length() <= 1000 ? clean : clean.substring(0, 1000);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static ParleyException notFound() {
        return new ParleyException(ErrorCode.REPORT_NOT_FOUND, "Report not found");
    }
}
