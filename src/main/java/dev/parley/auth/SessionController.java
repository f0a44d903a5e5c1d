package dev.parley.auth;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The caller's sessions and password, under {@code /users/me}. */
@Tag(name = "Auth")
@RestController
@RequestMapping("/api/v1/users/me")
class SessionController {

    record SessionList(List<SessionService.SessionView> sessions) {}

    private final SessionService sessions;
    private final AuthService auth;

    SessionController(SessionService sessions, AuthService auth) {
        this.sessions = sessions;
        this.auth = auth;
    }

    /** The sessions that can still be refreshed, most recently used first (at most 100). */
    @Operation(operationId = "listSessions", summary = "List the caller's sessions")
    @GetMapping("/sessions")
    SessionList sessions(AuthUser caller) {
        return new SessionList(sessions.list(caller));
    }

    /** Ends one of the caller's sessions; another user's session id is 404 NOT_FOUND, like an unknown one. */
    @Operation(operationId = "endSession", summary = "End one of the sessions")
    @ApiErrors({ErrorCode.NOT_FOUND})
    @DeleteMapping("/sessions/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void end(AuthUser caller, @PathVariable UUID id, HttpServletRequest http) {
        sessions.end(caller, id, ClientOrigin.of(http));
    }

    /** Sets a new password; every other session is ended. A wrong current password is 403 FORBIDDEN. */
    @Operation(operationId = "changePassword", summary = "Change the password, ending every other session")
    @ApiErrors({ErrorCode.FORBIDDEN, ErrorCode.RATE_LIMIT_EXCEEDED})
    @PutMapping("/password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void changePassword(
            AuthUser caller, @Valid @RequestBody AuthRequests.ChangePassword request, HttpServletRequest http) {
        auth.changePassword(caller, request, ClientOrigin.of(http));
    }
}
