package dev.parley.admin;

import dev.parley.audit.AuditPage;
import dev.parley.audit.AuditVerification;
import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import dev.parley.report.ReportPage;
import dev.parley.report.ReportView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/admin}: for admins only (403 FORBIDDEN for everyone else); see AdminService. */
@Tag(name = "Administration", description = "For admins: reports, suspensions, deletes, roles, the audit log")
@RestController
@RequestMapping("/api/v1/admin")
class AdminController {

    private final AdminService admin;

    AdminController(AdminService admin) {
        this.admin = admin;
    }

    @Operation(operationId = "listReports", summary = "List the reports queue")
    @ApiErrors({ErrorCode.FORBIDDEN})
    @GetMapping("/reports")
    ReportPage reports(
            AuthUser caller,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return admin.reports(caller.id(), status, cursor, limit);
    }

    @Operation(operationId = "getReport", summary = "Get one report")
    @ApiErrors({ErrorCode.FORBIDDEN, ErrorCode.REPORT_NOT_FOUND})
    @GetMapping("/reports/{reportId}")
    ReportView report(AuthUser caller, @PathVariable UUID reportId) {
        return admin.report(caller.id(), reportId);
    }

    @Operation(operationId = "resolveReport", summary = "Resolve a report")
    @ApiErrors({
        ErrorCode.FORBIDDEN,
        ErrorCode.REPORT_NOT_FOUND,
        ErrorCode.CONFLICT,
        ErrorCode.USER_NOT_FOUND,
        ErrorCode.MESSAGE_NOT_FOUND
    })
    @PostMapping("/reports/{reportId}/resolve")
    ReportView resolve(
            AuthUser caller,
            @PathVariable UUID reportId,
            @Valid @RequestBody AdminRequests.Resolve request,
            HttpServletRequest http) {
        return admin.resolve(caller.id(), reportId, request, http.getRemoteAddr());
    }

    @Operation(operationId = "getUserAsAdmin", summary = "Get a user with their role and standing")
    @ApiErrors({ErrorCode.FORBIDDEN, ErrorCode.USER_NOT_FOUND})
    @GetMapping("/users/{userId}")
    AdminUserView user(AuthUser caller, @PathVariable UUID userId) {
        return admin.user(caller.id(), userId);
    }

    @Operation(operationId = "suspendUser", summary = "Suspend a user")
    @ApiErrors({ErrorCode.FORBIDDEN, ErrorCode.USER_NOT_FOUND})
    @PostMapping("/users/{userId}/suspend")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void suspend(
            AuthUser caller,
            @PathVariable UUID userId,
            @Valid @RequestBody AdminRequests.Suspend request,
            HttpServletRequest http) {
        admin.suspend(caller.id(), userId, request, http.getRemoteAddr());
    }

    @Operation(operationId = "unsuspendUser", summary = "End a user's suspension")
    @ApiErrors({ErrorCode.FORBIDDEN, ErrorCode.USER_NOT_FOUND})
    @PostMapping("/users/{userId}/unsuspend")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void unsuspend(AuthUser caller, @PathVariable UUID userId, HttpServletRequest http) {
        admin.unsuspend(caller.id(), userId, http.getRemoteAddr());
    }

    /** Grants the admin role; answers the user as administration sees them. */
    @Operation(operationId = "grantAdmin", summary = "Grant the admin role")
    @ApiErrors({ErrorCode.FORBIDDEN, ErrorCode.USER_NOT_FOUND})
    @PostMapping("/users/{userId}/admin")
    AdminUserView grant(AuthUser caller, @PathVariable UUID userId, HttpServletRequest http) {
        return admin.setAdmin(caller.id(), userId, true, http.getRemoteAddr());
    }

    /** Withdraws a granted admin role (409 when the user is an admin by configuration or claim). */
    @Operation(operationId = "revokeAdmin", summary = "Withdraw the admin role")
    @ApiErrors({ErrorCode.FORBIDDEN, ErrorCode.USER_NOT_FOUND, ErrorCode.CONFLICT})
    @DeleteMapping("/users/{userId}/admin")
    AdminUserView revoke(AuthUser caller, @PathVariable UUID userId, HttpServletRequest http) {
        return admin.setAdmin(caller.id(), userId, false, http.getRemoteAddr());
    }

    @Operation(operationId = "deleteMessageAsAdmin", summary = "Delete any message")
    @ApiErrors({ErrorCode.FORBIDDEN, ErrorCode.MESSAGE_NOT_FOUND})
    @DeleteMapping("/messages/{messageId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void deleteMessage(AuthUser caller, @PathVariable UUID messageId, HttpServletRequest http) {
        admin.deleteMessage(caller.id(), messageId, http.getRemoteAddr());
    }

    @Operation(operationId = "queryAudit", summary = "Query the audit log")
    @ApiErrors({ErrorCode.FORBIDDEN})
    @GetMapping("/audit")
    AuditPage audit(
            AuthUser caller,
            @RequestParam(required = false) UUID actor,
            @RequestParam(required = false) String target,
            @RequestParam(required = false) String action,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) Integer limit) {
        return admin.audit(caller.id(), actor, target, action, cursor, limit);
    }

    @Operation(operationId = "verifyAudit", summary = "Verify the audit log's hash chain")
    @ApiErrors({ErrorCode.FORBIDDEN})
    @GetMapping("/audit/verify")
    AuditVerification verify(AuthUser caller) {
        return admin.verify(caller.id());
    }
}
