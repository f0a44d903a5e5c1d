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
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/** Every {@code /api/v1} endpoint needs a bearer token, except sign-up, sign-in, refresh and the API docs. */
@Component
class AuthFilter extends OncePerRequestFilter {

    static final String ATTRIBUTE = AuthUser.class.getName();
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
        Optional<AuthUser> user = tokens.authenticate(bearer(request));
        if (user.isEmpty()) {
            response.setStatus(401);
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            json.writeValue(response.getOutputStream(), ApiError.of(ErrorCode.UNAUTHORIZED,
                    "A valid bearer token is required", Map.of()));
            return;
        }
        request.setAttribute(ATTRIBUTE, user.get());
        chain.doFilter(request, response);
    }

    private static String bearer(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7);
        }
        return null;
    }
}
