package dev.parley.report;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Participants' reports: 202, the admins review them under /admin/reports. */
@Tag(name = "Reports", description = "Reporting messages and users to the admins")
@RestController
@RequestMapping("/api/v1")
class ReportController {

    private final ReportService reports;

    ReportController(ReportService reports) {
        this.reports = reports;
    }

    @Operation(operationId = "reportMessage", summary = "Report a message to the admins")
    @ApiErrors({ErrorCode.MESSAGE_NOT_FOUND, ErrorCode.RATE_LIMIT_EXCEEDED})
    @PostMapping("/messages/{messageId}/report")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ReportReceipt reportMessage(
            AuthUser caller, @PathVariable UUID messageId, @Valid @RequestBody ReportRequest request) {
        return reports.reportMessage(caller.id(), messageId, request);
    }

    @Operation(operationId = "reportUser", summary = "Report a user to the admins")
    @ApiErrors({ErrorCode.USER_NOT_FOUND, ErrorCode.RATE_LIMIT_EXCEEDED})
    @PostMapping("/users/{userId}/report")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ReportReceipt reportUser(AuthUser caller, @PathVariable UUID userId, @Valid @RequestBody ReportRequest request) {
        return reports.reportUser(caller.id(), userId, request);
    }
}
