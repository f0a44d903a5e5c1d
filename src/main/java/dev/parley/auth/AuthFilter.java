package dev.parley.auth;

import dev.parley.common.ApiError;
import dev.parley.common.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/** Every {@code /api/v1} endpoint needs a bearer token, except sign-up, sign-in, refresh and the API docs. */
@Component
class AuthFilter extends OncePerRequestFilter {

    static final String ATTRIBUTE = AuthUser.class.getName();
    private static final Logger log = LoggerFactory.getLogger(AuthFilter.class);
    private static final Set<String> PUBLIC = Set.of("/api/v1/auth/register", "/api/v1/auth/login",
            "/api/v1/auth/refresh", "/api/v1/openapi.json");

    private final AccessTokens tokens;
    private final JsonMapper json;

    AuthFilter(AccessTokens tokens, JsonMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/api/v1/") || PUBLIC.contains(path) || path.startsWith("/api/v1/openapi.json/")
                || path.startsWith("/api/v1/docs") || path.startsWith("/api/v1/swagger-ui");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<AuthUser> user;
        try {
            user = tokens.authenticate(bearer(request));
        } catch (RuntimeException e) {
            // Integration mode provisions users on the way in, which needs the database. When that fails the token
            // may well be valid, so say "try again" in the contract's shape instead of leaking a bare 500 page
            // (this filter runs before the exception handler could help).
            log.error("authentication_failed method={} uri={}", request.getMethod(), request.getRequestURI(), e);
            reject(response, ErrorCode.SERVICE_UNAVAILABLE, "Could not check the token right now; try again");
            return;
        }
        if (user.isEmpty()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            reject(response, ErrorCode.UNAUTHORIZED, "A valid bearer token is required");
            return;
        }
        request.setAttribute(ATTRIBUTE, user.get());
        chain.doFilter(request, response);
    }

    private void reject(HttpServletResponse response, ErrorCode code, String message) throws IOException {
        response.setStatus(code.status());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        json.writeValue(response.getOutputStream(), ApiError.of(code, message, Map.of()));
    }

    private static String bearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7);
        }
        return null;
    }
}
