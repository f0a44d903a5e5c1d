package dev.parley.admin;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEntry;
import dev.parley.audit.AuditFilter;
import dev.parley.audit.AuditLog;
import dev.parley.audit.AuditPage;
import dev.parley.audit.AuditTargetType;
import dev.parley.audit.AuditVerification;
import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.common.Text;
import dev.parley.contact.ContactService;
import dev.parley.message.MessageEditor;
import dev.parley.message.MessageRef;
import dev.parley.report.ReportPage;
import dev.parley.report.ReportService;
import dev.parley.report.ReportView;
import dev.parley.user.UserService;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The admin API's acts. Every method first checks that the caller is an admin (FORBIDDEN otherwise); every act
 * that changes something writes its audit entry in its own transaction, as the last write, so the entry commits
 * with the act or neither does. {@code ip} is the caller's address as the request filter resolved it.
 */
@Service
public class AdminService {

    private static final Logger log = LoggerFactory.getLogger(AdminService.class);

    private final AdminRoles roles;
    private final UserService users;
    private final MessageEditor messages;
    private final ReportService reports;
    private final ContactService contacts;
    private final AuditLog audit;
    private final Clock clock;

    AdminService(
            AdminRoles roles,
            UserService users,
            MessageEditor messages,
            ReportService reports,
            ContactService contacts,
            AuditLog audit,
            Clock clock) {
        this.roles = roles;
        this.users = users;
        this.messages = messages;
        this.reports = reports;
        this.contacts = contacts;
        this.audit = audit;
        this.clock = clock;
    }

    /** Throws FORBIDDEN, USER_NOT_FOUND. */
    public AdminUserView user(UUID admin, UUID userId) {
        roles.require(admin);
        UserService.AccountFacts facts = users.accountFacts(userId);
        List<String> sources = roles.sources(facts);
        Instant now = clock.instant();
        boolean suspended =
                facts.suspendedUntil() != null && facts.suspendedUntil().isAfter(now);
        return new AdminUserView(
                facts.user(),
                sources.isEmpty() ? "member" : "admin",
                sources,
                facts.deleted(),
                suspended,
                suspended ? facts.suspendedUntil() : null,
                suspended ? facts.suspensionReason() : null,
                facts.createdAt());
    }

    /**
     * Suspends a user until {@code until} (absent: until unsuspended). Throws FORBIDDEN, USER_NOT_FOUND,
     * VALIDATION_FAILED (oneself, {@code until} not in the future).
     */
    @Transactional
    public void suspend(UUID admin, UUID userId, AdminRequests.Suspend request, String ip) {
        roles.require(admin);
        suspendUser(admin, userId, request.until(), request.reason().strip(), ip, null);
    }

    /**
     * {@code PUT /admin/contacts}: makes each pair contacts and ends each pair of {@code remove}. Throws FORBIDDEN,
     * VALIDATION_FAILED, USER_NOT_FOUND.
     */
    @Transactional
    public void putContacts(UUID admin, List<List<UUID>> pairs, List<List<UUID>> remove, String ip) {
        roles.require(admin);
        contacts.bulk(pairs, remove);
        audit.record(AuditEntry.by(admin, AuditAction.CONTACTS_CHANGED)
                .ip(ip)
                .detail("pairs", pairs.size())
                .detail("removed", remove.size()));
    }

    /** Throws FORBIDDEN, USER_NOT_FOUND. */
    @Transactional
    public void unsuspend(UUID admin, UUID userId, String ip) {
        roles.require(admin);
        users.unsuspend(userId);
        audit.record(AuditEntry.by(admin, AuditAction.USER_UNSUSPENDED)
                .target(AuditTargetType.USER, userId)
                .ip(ip));
        log.info("user_unsuspended user_id={} by={}", userId, admin);
    }

    /** A tombstone with {@code deleted_by} the admin. Throws FORBIDDEN, MESSAGE_NOT_FOUND, FORBIDDEN (system). */
    @Transactional
    public void deleteMessage(UUID admin, UUID messageId, String ip) {
        roles.require(admin);
        messages.deleteAsAdmin(admin, messageId).ifPresent(deleted -> auditDelete(admin, deleted, ip, null));
    }

    /**
     * Grants ({@code granted} true) or withdraws the admin role. Withdrawing from someone who stays an admin by
     * configuration or by the host app's claim is CONFLICT. Throws FORBIDDEN, USER_NOT_FOUND, CONFLICT.
     */
    @Transactional
    public AdminUserView setAdmin(UUID admin, UUID userId, boolean granted, String ip) {
        roles.require(admin);
        users.setAdminGranted(userId, granted);
        AdminUserView after = user(admin, userId);
        if (!granted && after.role().equals("admin")) {
            throw new ParleyException(
                    ErrorCode.CONFLICT,
                    "This user is an admin by " + after.adminSources() + "; change that instead",
                    Map.of("admin_sources", after.adminSources()));
        }
        audit.record(AuditEntry.by(admin, granted ? AuditAction.ADMIN_GRANTED : AuditAction.ADMIN_REVOKED)
                .target(AuditTargetType.USER, userId)
                .ip(ip));
        log.info("admin_role_changed user_id={} granted={} by={}", userId, granted, admin);
        return after;
    }

    /** Throws FORBIDDEN, VALIDATION_FAILED. */
    public ReportPage reports(UUID admin, String status, String cursor, Integer limit) {
        roles.require(admin);
        return reports.list(admin, status, cursor, limit);
    }

    /** Throws FORBIDDEN, REPORT_NOT_FOUND. */
    public ReportView report(UUID admin, UUID reportId) {
        roles.require(admin);
        return reports.get(admin, reportId);
    }

    /**
     * Resolves an open report: {@code dismiss}, {@code delete_message} (a message report's message becomes a
     * tombstone) or {@code suspend_user} (the reported user, until {@code until} or until unsuspended). Throws
     * FORBIDDEN, REPORT_NOT_FOUND, CONFLICT (already resolved), VALIDATION_FAILED (delete_message of a user report,
     * suspending oneself).
     */
    @Transactional
    public ReportView resolve(UUID admin, UUID reportId, AdminRequests.Resolve request, String ip) {
        roles.require(admin);
        ReportService.Resolved resolved = reports.resolve(reportId, request.action(), request.note(), admin);
        ReportView report = resolved.report();
        switch (request.action()) {
            case "delete_message" -> {
                if (!report.targetType().equals("message")) {
                    throw ParleyException.validation("action", "delete_message resolves message reports only");
                }
                messages.deleteAsAdmin(admin, report.targetId())
                        .ifPresent(deleted -> auditDelete(admin, deleted, ip, reportId));
            }
            case "suspend_user" ->
                suspendUser(
                        admin,
                        resolved.reportedUserId(),
                        request.until(),
                        "report " + reportId
                                + (request.note() == null
                                        ? ""
                                        : ": " + request.note().strip()),
                        ip,
                        reportId);
            default -> {
                // dismiss: nothing else changes.
            }
        }
        audit.record(AuditEntry.by(admin, AuditAction.REPORT_RESOLVED)
                .target(AuditTargetType.REPORT, reportId)
                .ip(ip)
                .detail("resolution", request.action())
                .detail("report_target_type", report.targetType())
                .detail("report_target_id", report.targetId()));
        return reports.get(admin, reportId);
    }

    /** Throws FORBIDDEN, VALIDATION_FAILED (action, cursor, limit). */
    public AuditPage audit(UUID admin, UUID actor, String target, String action, String cursor, Integer limit) {
        roles.require(admin);
        AuditFilter filter = AuditFilter.all().actor(actor);
        if (target != null && !target.isEmpty()) {
            if (target.length() > 128) {
                throw ParleyException.validation("target", "target is at most 128 characters");
            }
            filter = filter.target(target);
        }
        if (action != null && !action.isEmpty()) {
            filter = filter.action(AuditAction.fromWire(action)
                    .orElseThrow(() -> ParleyException.validation("action", "unknown audit action")));
        }
        return audit.query(filter, cursor, limit);
    }

    /** Throws FORBIDDEN. */
    public AuditVerification verify(UUID admin) {
        roles.require(admin);
        return audit.verify();
    }

    private void suspendUser(UUID admin, UUID userId, Instant until, String reason, String ip, UUID reportId) {
        if (admin.equals(userId)) {
            throw ParleyException.validation("user_id", "You cannot suspend yourself");
        }
        if (until != null && !Text.requireStorable("until", until).isAfter(clock.instant())) {
            throw ParleyException.validation("until", "until must be in the future");
        }
        String bounded = reason.length() <= 500 ? reason : reason.substring(0, 500);
        users.suspend(userId, until, bounded);
        audit.record(AuditEntry.by(admin, AuditAction.USER_SUSPENDED)
                .target(AuditTargetType.USER, userId)
                .ip(ip)
                .detail("until", until)
                .detail("reason", bounded)
                .detail("report_id", reportId));
        log.info("user_suspended user_id={} until={} by={}", userId, until, admin);
    }

    private void auditDelete(UUID admin, MessageRef deleted, String ip, UUID reportId) {
        audit.record(AuditEntry.by(admin, AuditAction.MESSAGE_DELETED_BY_ADMIN)
                .target(AuditTargetType.MESSAGE, deleted.messageId())
                .ip(ip)
                .detail("conversation_id", deleted.conversationId())
                .detail("sender_id", deleted.senderId())
                .detail("report_id", reportId));
    }
}
