package dev.parley.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every {@code /api/v1} endpoint needs a bearer token, except sign-up, sign-in, refresh and the API docs. The
 * WebSocket endpoint checks its own upgrade ({@link WebSocketHandshakeAuth}), since it also takes the token as a
 * query parameter.
 */
@Component
class AuthFilter extends OncePerRequestFilter {

    static final String ATTRIBUTE = AuthUser.class.getName();
    private static final Set<String> PUBLIC = Set.of("/api/v1/auth/register", "/api/v1/auth/login",
            "/api/v1/auth/refresh", "/api/v1/openapi.json", WebSocketHandshakeAuth.PATH);

    private final BearerCheck check;

    AuthFilter(BearerCheck check) {
        this.check = check;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        // A browser's CORS preflight carries no token; it is answered by the CORS configuration and runs nothing.
        return org.springframework.web.cors.CorsUtils.isPreFlightRequest(request) || !path.startsWith("/api/v1/") || PUBLIC.contains(path) || path.startsWith("/api/v1/openapi.json/")
                || path.startsWith("/api/v1/docs") || path.startsWith("/api/v1/swagger-ui");
    }

    private static final String EVENTS = "/api/v1/events";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = BearerCheck.bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (token == null && EVENTS.equals(request.getRequestURI()) && "GET".equals(request.getMethod())) {
            // A browser's EventSource cannot set headers; like the WebSocket, the event stream takes the token
            // as a query parameter.
            token = request.getParameter("access_token");
        }
        Optional<AuthUser> user = check.authenticate(token, request.getMethod(), request.getRequestURI(), response);
        if (user.isEmpty()) {
            return;
        }
        request.setAttribute(ATTRIBUTE, user.get());
        chain.doFilter(request, response);
    }
}
