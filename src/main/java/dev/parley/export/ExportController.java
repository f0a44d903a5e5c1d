package dev.parley.export;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The caller's data exports. */
@Tag(name = "Data export", description = "The caller's own data as a ZIP")
@RestController
@RequestMapping("/api/v1/users/me")
class ExportController {

    private final ExportService exports;

    ExportController(ExportService exports) {
        this.exports = exports;
    }

    @Operation(operationId = "requestExport", summary = "Start an export of the caller's data")
    @ApiErrors({ErrorCode.UNAUTHORIZED})
    @PostMapping("/export")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ExportView request(AuthUser caller, HttpServletRequest http) {
        return exports.request(caller.id(), http.getRemoteAddr());
    }

    @Operation(operationId = "getExport", summary = "An export's status and download link")
    @ApiErrors({ErrorCode.EXPORT_NOT_FOUND})
    @GetMapping("/exports/{id}")
    ExportView status(AuthUser caller, @PathVariable UUID id, HttpServletRequest http) {
        return exports.status(caller.id(), id, http.getRemoteAddr());
    }
}
