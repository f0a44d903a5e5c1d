package dev.parley.auth;

import dev.parley.common.ApiError;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a token for the HTTP filter and the WebSocket upgrade alike and, when it fails, answers the request
 * itself with the contract's error body: both run before any controller or exception handler could.
 */
@Component
class BearerCheck {

    private static final Logger log = LoggerFactory.getLogger(BearerCheck.class);

    private final AccessTokens tokens;
    private final JsonMapper json;

    BearerCheck(AccessTokens tokens, JsonMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    /** The caller, or empty after a 401 (or 503) was written to {@code response}. */
    Optional<AuthUser> authenticate(String token, String method, String uri, HttpServletResponse response)
            throws IOException {
        Optional<AuthUser> user;
        try {
            user = tokens.authenticate(token);
        } catch (RuntimeException e) {
            // Integration mode provisions users on the way in, which needs the database. When that fails the token
            // may well be valid, so say "try again" in the contract's shape instead of leaking a bare 500 page.
            log.error("authentication_failed method={} uri={}", method, uri, e);
            reject(response, ErrorCode.SERVICE_UNAVAILABLE, "Could not check the token right now; try again");
            return Optional.empty();
        }
        if (user.isEmpty()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            reject(response, ErrorCode.UNAUTHORIZED, "A valid bearer token is required");
        }
        return user;
    }

    /** The token of an {@code Authorization: Bearer ...} header, or null. */
    static String bearer(String header) {
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7);
        }
        return null;
    }

    /** Answers the request with the contract's error body. */
    void reject(HttpServletResponse response, ErrorCode code, String message) throws IOException {
        response.setStatus(code.status());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), ApiError.of(code, message, Map.of()));
    }
}
