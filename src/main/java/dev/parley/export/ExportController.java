package dev.parley.export;

import dev.parley.common.AuthUser;
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
@RestController
@RequestMapping("/api/v1/users/me")
class ExportController {

    private final ExportService exports;

    ExportController(ExportService exports) {
        this.exports = exports;
    }

    @PostMapping("/export")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ExportView request(AuthUser caller, HttpServletRequest http) {
        return exports.request(caller.id(), http.getRemoteAddr());
    }

    @GetMapping("/exports/{id}")
    ExportView status(AuthUser caller, @PathVariable UUID id, HttpServletRequest http) {
        return exports.status(caller.id(), id, http.getRemoteAddr());
    }
}
