package dev.parley.auth;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Deleting one's own account. */
@Tag(name = "Auth")
@RestController
@RequestMapping("/api/v1/users/me")
class AccountController {

    private final AccountDeletionService deletions;

    AccountController(AccountDeletionService deletions) {
        this.deletions = deletions;
    }

    /** 204: access ends at once; the erasure of the account's data follows in the background. */
    @Operation(operationId = "deleteAccount", summary = "Delete the caller's account")
    @ApiErrors({ErrorCode.VALIDATION_FAILED, ErrorCode.FORBIDDEN, ErrorCode.RATE_LIMIT_EXCEEDED})
    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(
            AuthUser caller,
            @Valid @RequestBody(required = false) AuthRequests.DeleteAccount request,
            HttpServletRequest http) {
        deletions.delete(caller, request, ClientOrigin.of(http));
    }
}
