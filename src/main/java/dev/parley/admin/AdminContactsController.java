package dev.parley.admin;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import dev.parley.contact.ContactService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT /api/v1/admin/contacts}: the host app pushes its friendships in bulk (an admin's token), for
 * deployments without a lookup URL. Admins only (403 FORBIDDEN otherwise).
 */
@Tag(name = "Administration", description = "For admins: reports, suspensions, deletes, roles, the audit log")
@RestController
@RequestMapping("/api/v1/admin")
class AdminContactsController {

    /** {@code {pairs: [[a, b], ...], remove?: [[a, b], ...]}}: each pair two user ids. */
    record BulkContacts(
            @NotNull @Size(max = ContactService.MAX_BULK_PAIRS)
            List<List<UUID>> pairs,

            @Nullable @Size(max = ContactService.MAX_BULK_PAIRS)
            List<List<UUID>> remove) {}

    private final AdminService admin;

    AdminContactsController(AdminService admin) {
        this.admin = admin;
    }

    @Operation(operationId = "putContacts", summary = "Make pairs of users contacts, or end them, in bulk")
    @ApiErrors({ErrorCode.FORBIDDEN, ErrorCode.USER_NOT_FOUND})
    @PutMapping("/contacts")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void put(AuthUser caller, @Valid @RequestBody BulkContacts request, HttpServletRequest http) {
        admin.putContacts(
                caller.id(),
                request.pairs(),
                request.remove() == null ? List.of() : request.remove(),
                http.getRemoteAddr());
    }
}
