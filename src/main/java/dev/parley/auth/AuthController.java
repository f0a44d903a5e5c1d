package dev.parley.auth;

import dev.parley.common.ApiErrors;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@Tag(name = "Auth", description = "Accounts and tokens: sign up, sign in, refresh, sign out")
@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    private final AuthService auth;

    AuthController(AuthService auth) {
        this.auth = auth;
    }

    @Operation(operationId = "register", summary = "Create an account and sign in")
    @ApiErrors({ErrorCode.FORBIDDEN, ErrorCode.CONFLICT, ErrorCode.RATE_LIMIT_EXCEEDED})
    @PostMapping("/register")
    @ResponseStatus(HttpStatus.CREATED)
    TokenResponse register(@Valid @RequestBody AuthRequests.Register request, HttpServletRequest http) {
        return auth.register(request, ClientOrigin.of(http));
    }

    @Operation(operationId = "login", summary = "Sign in with username and password")
    @ApiErrors({ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ErrorCode.ACCOUNT_SUSPENDED, ErrorCode.RATE_LIMIT_EXCEEDED
    })
    @PostMapping("/login")
    TokenResponse login(@Valid @RequestBody AuthRequests.Login request, HttpServletRequest http) {
        return auth.login(request, ClientOrigin.of(http));
    }

    @Operation(operationId = "refreshTokens", summary = "Trade a refresh token for a new token pair")
    @ApiErrors({ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ErrorCode.ACCOUNT_SUSPENDED})
    @PostMapping("/refresh")
    TokenResponse refresh(@Valid @RequestBody AuthRequests.Refresh request, HttpServletRequest http) {
        return auth.refresh(request, ClientOrigin.of(http));
    }

    /** Ends the session of this refresh token (one of the caller's): its refresh chain and its access tokens. */
    @Operation(operationId = "logout", summary = "End the session of a refresh token")
    @PostMapping("/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logout(AuthUser caller, @Valid @RequestBody AuthRequests.Refresh request, HttpServletRequest http) {
        auth.logout(caller, request, ClientOrigin.of(http));
    }

    /** Ends every session of the caller, this one included. */
    @Operation(operationId = "logoutAll", summary = "End every session of the caller")
    @PostMapping("/logout-all")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logoutAll(AuthUser caller, HttpServletRequest http) {
        auth.logoutEverywhere(caller, ClientOrigin.of(http));
    }
}
