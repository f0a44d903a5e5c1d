package dev.parley.auth;

import dev.parley.common.AuthUser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    private final AuthService auth;

    AuthController(AuthService auth) {
        this.auth = auth;
    }

    @PostMapping("/register")
    @ResponseStatus(HttpStatus.CREATED)
    TokenResponse register(@Valid @RequestBody AuthRequests.Register request, HttpServletRequest http) {
        return auth.register(request, ClientOrigin.of(http));
    }

    @PostMapping("/login")
    TokenResponse login(@Valid @RequestBody AuthRequests.Login request, HttpServletRequest http) {
        return auth.login(request, ClientOrigin.of(http));
    }

    @PostMapping("/refresh")
    TokenResponse refresh(@Valid @RequestBody AuthRequests.Refresh request, HttpServletRequest http) {
        return auth.refresh(request, ClientOrigin.of(http));
    }

    /** Ends the session of this refresh token (one of the caller's): its refresh chain and its access tokens. */
    @PostMapping("/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logout(AuthUser caller, @Valid @RequestBody AuthRequests.Refresh request, HttpServletRequest http) {
        auth.logout(caller, request, ClientOrigin.of(http));
    }

    /** Ends every session of the caller, this one included. */
    @PostMapping("/logout-all")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logoutAll(AuthUser caller, HttpServletRequest http) {
        auth.logoutEverywhere(caller, ClientOrigin.of(http));
    }
}
