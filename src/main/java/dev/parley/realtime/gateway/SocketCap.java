package dev.parley.realtime.gateway;

import dev.parley.auth.WebSocketHandshakeAuth;
import dev.parley.common.ApiError;
import dev.parley.common.AuthUser;
import dev.parley.common.ParleyException;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses the upgrade of a user who already holds {@code parley.realtime.max-sockets-per-user} sockets on this
 * node: 429 with the contract's error body and {@code Retry-After}, before anything is upgraded (like the 401 of
 * {@link WebSocketHandshakeAuth}, which runs first and names the user). Handshakes racing each other past this
 * check are caught when the socket is registered, and closed with {@link CloseCodes#TOO_MANY_SOCKETS}.
 */
@Component
class SocketCap implements HandshakeInterceptor {

    static final String LIMIT = "sockets";
    static final String WHAT = "sockets";

    private final SessionRegistry sessions;
    private final JsonMapper json;
    private final int max;

    SocketCap(SessionRegistry sessions, JsonMapper json, RealtimeProperties properties) {
        this.sessions = sessions;
        this.json = json;
        this.max = properties.maxSocketsPerUser();
    }

    /** The cap on one user's sockets on this node; 0 means none. */
    int max() {
        return max;
    }

    @Override
    public boolean beforeHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler handler,
            Map<String, Object> attributes)
            throws IOException {
        if (max == 0
                || !(attributes.get(WebSocketHandshakeAuth.ATTRIBUTE) instanceof AuthUser user)
                || sessions.of(user.id()).size() < max) {
            return true;
        }
        ParleyException refused = UserSlots.exceeded(LIMIT, WHAT, max);
        response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(refused.retryAfterSeconds()));
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getBody()
                .write(json.writeValueAsBytes(ApiError.of(refused.code(), refused.getMessage(), refused.details())));
        return false;
    }

    @Override
    public void afterHandshake(
            ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler, Exception exception) {}
}
