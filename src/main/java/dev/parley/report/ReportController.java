package dev.parley.report;

import dev.parley.common.AuthUser;
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
@RestController
@RequestMapping("/api/v1")
class ReportController {

    private final ReportService reports;

    ReportController(ReportService reports) {
        this.reports = reports;
    }

    @PostMapping("/messages/{messageId}/report")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ReportReceipt reportMessage(
            AuthUser caller, @PathVariable UUID messageId, @Valid @RequestBody ReportRequest request) {
        return reports.reportMessage(caller.id(), messageId, request);
    }

    @PostMapping("/users/{userId}/report")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ReportReceipt reportUser(AuthUser caller, @PathVariable UUID userId, @Valid @RequestBody ReportRequest request) {
        return reports.reportUser(caller.id(), userId, request);
    }
}
