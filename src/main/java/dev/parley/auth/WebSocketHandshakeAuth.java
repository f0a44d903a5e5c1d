package dev.parley.auth;

import dev.parley.common.AuthUser;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Authenticates the WebSocket upgrade, before it happens: the token comes from the {@code Authorization: Bearer}
 * header or, for browsers (whose WebSocket API cannot set headers), the {@code access_token} query parameter.
 * A missing or bad token gets 401 with the contract's error body and no upgrade. The caller is put in the
 * session's attributes under {@link #ATTRIBUTE}, and when the token expires (an {@link java.time.Instant}) under
 * {@link #EXPIRES}: the socket lives no longer than the token it was opened with.
 */
@Component
public class WebSocketHandshakeAuth implements HandshakeInterceptor {

    public static final String PATH = "/api/v1/ws";
    public static final String ATTRIBUTE = AuthUser.ATTRIBUTE;
    public static final String EXPIRES = WebSocketHandshakeAuth.class.getName() + ".expires";

    private final BearerCheck check;
    private final AccessTokens tokens;

    WebSocketHandshakeAuth(BearerCheck check, AccessTokens tokens) {
        this.check = check;
        this.tokens = tokens;
    }

    @Override
    public boolean beforeHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler handler,
            Map<String, Object> attributes)
            throws IOException {
        String token = BearerCheck.bearer(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (token == null) {
            token = UriComponentsBuilder.fromUri(request.getURI())
                    .build(true)
                    .getQueryParams()
                    .getFirst("access_token");
            token = token == null ? null : URLDecoder.decode(token, StandardCharsets.UTF_8);
        }
        if (!(response instanceof ServletServerHttpResponse servlet)) {
            throw new IllegalStateException("Parley runs on a servlet container");
        }
        Optional<AuthUser> user = check.authenticate(
                token, request.getMethod().name(), request.getURI().getPath(), servlet.getServletResponse());
        if (user.isPresent()) {
            attributes.put(ATTRIBUTE, user.get());
            tokens.expiresAt(token).ifPresent(expires -> attributes.put(EXPIRES, expires));
        }
        return user.isPresent();
    }

    @Override
    public void afterHandshake(
            ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler, Exception exception) {}
}
