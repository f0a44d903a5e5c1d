package dev.parley.auth;

import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.stereotype.Component;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UriUtils;

/**
 * Deny by default: every request needs a bearer token unless its path is one of {@link PublicPaths}. The path is
 * judged as the router will see it. A URL whose meaning depends on who reads it ({@code ;parameters}, dot
 * segments, {@code //}, encoded slashes, backslashes, dots or percent signs, control characters) is refused with
 * 400 before anything else, by Spring Security's strict firewall; what is left is decoded, and only then compared
 * with the public list. So {@code /api/v1;x/users/me} or {@code /api/v1/./users/me} is 400, and
 * {@code /api/%76%31/users/me} needs a token like {@code /api/v1/users/me}. The WebSocket endpoint is public here
 * and checks its own upgrade ({@link WebSocketHandshakeAuth}), since browsers send the token as a query parameter.
 */
@Component
class AuthFilter extends OncePerRequestFilter {

    static final String ATTRIBUTE = AuthUser.ATTRIBUTE;
    private static final String EVENTS = "/api/v1/events";

    private final BearerCheck check;
    private final StrictHttpFirewall firewall = new StrictHttpFirewall();

    AuthFilter(BearerCheck check) {
        this.check = check;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // A browser's CORS preflight carries no token; it is answered by the CORS configuration and runs nothing.
        return CorsUtils.isPreFlightRequest(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = normalisedPath(request);
        if (path == null) {
            check.reject(
                    response,
                    ErrorCode.VALIDATION_FAILED,
                    "The request path is malformed or ambiguous (parameters, dot segments, encoded separators)");
            return;
        }
        if (PublicPaths.isPublic(path)) {
            chain.doFilter(request, response);
            return;
        }
        String token = BearerCheck.bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (token == null && EVENTS.equals(path) && "GET".equals(request.getMethod())) {
            // A browser's EventSource cannot set headers; like the WebSocket, the event stream takes the token
            // as a query parameter.
            token = request.getParameter("access_token");
        }
        Optional<AuthUser> user = check.authenticate(token, request.getMethod(), path, response);
        if (user.isEmpty()) {
            return;
        }
        request.setAttribute(ATTRIBUTE, user.get());
        chain.doFilter(request, response);
    }

    /** The decoded path within the application, or null when the firewall refuses the URL or it does not decode. */
    private String normalisedPath(HttpServletRequest request) {
        try {
            firewall.getFirewalledRequest(request);
            String raw =
                    request.getRequestURI().substring(request.getContextPath().length());
            return UriUtils.decode(raw, StandardCharsets.UTF_8);
        } catch (RequestRejectedException | IllegalArgumentException e) {
            return null;
        }
    }
}
