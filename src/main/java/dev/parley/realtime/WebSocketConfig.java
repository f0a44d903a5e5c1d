package dev.parley.realtime;

import dev.parley.auth.WebSocketHandshakeAuth;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.support.OriginHandshakeInterceptor;

/** Raw WebSocket (our own JSON frames, no STOMP) at {@code /api/v1/ws}: origin check, token check, frame cap. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
// Registered here rather than by the scan: the container's FactoryBean below is typed early, before scanned
// properties exist.
@EnableConfigurationProperties(RealtimeProperties.class)
class WebSocketConfig implements WebSocketConfigurer {

    private final ChatSocketHandler handler;
    private final WebSocketHandshakeAuth auth;
    private final RealtimeProperties properties;

    WebSocketConfig(ChatSocketHandler handler, WebSocketHandshakeAuth auth, RealtimeProperties properties) {
        this.handler = handler;
        this.auth = auth;
        this.properties = properties;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Origin first: a page that may not connect is turned away (403) before its token is even looked at.
        // The registration appends an origin check of its own after ours, so it gets the same patterns.
        OriginHandshakeInterceptor origins = new OriginHandshakeInterceptor();
        origins.setAllowedOriginPatterns(properties.allowedOrigins());
        registry.addHandler(handler, WebSocketHandshakeAuth.PATH).addInterceptors(origins, auth)
                .setAllowedOriginPatterns(properties.allowedOrigins().toArray(String[]::new));
    }

    /** Caps incoming frames; the container closes a socket that sends a larger one with 1009. */
    @Bean
    static ServletServerContainerFactoryBean webSocketContainer(RealtimeProperties properties) {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        int max = Math.toIntExact(properties.maxFrameSize().toBytes());
        container.setMaxTextMessageBufferSize(max);
        container.setMaxBinaryMessageBufferSize(max);
        return container;
    }
}
