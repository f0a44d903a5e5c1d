package dev.parley.realtime.gateway;

import dev.parley.auth.WebSocketHandshakeAuth;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
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
    private final SocketCap cap;
    private final RealtimeProperties properties;

    WebSocketConfig(
            ChatSocketHandler handler, WebSocketHandshakeAuth auth, SocketCap cap, RealtimeProperties properties) {
        this.handler = handler;
        this.auth = auth;
        this.cap = cap;
        this.properties = properties;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        // Origin first: a page that may not connect is turned away (403) before its token is even looked at.
        // The registration appends an origin check of its own after ours, so it gets the same patterns. The socket
        // cap needs the user the token names, so it comes after the token check.
        OriginHandshakeInterceptor origins = new OriginHandshakeInterceptor();
        origins.setAllowedOriginPatterns(properties.allowedOrigins());
        registry.addHandler(handler, WebSocketHandshakeAuth.PATH)
                .addInterceptors(origins, auth, cap)
                .setAllowedOriginPatterns(properties.allowedOrigins().toArray(String[]::new));
    }

    /**
     * The container allocates these buffers for every socket, idle or not, so they are small: longer text frames
     * arrive in parts and ChatSocketHandler assembles them up to {@code parley.realtime.max-frame-size} (larger:
     * closed with 1009). Clients send no binary frames.
     */
    @Bean
    static ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(CONTAINER_TEXT_BUFFER_CHARS);
        container.setMaxBinaryMessageBufferSize(CONTAINER_BINARY_BUFFER_BYTES);
        return container;
    }

    /**
     * Each connection's socket keeps an application read and write buffer for its whole life (8 KiB each by
     * default). A WebSocket idles most of the time, so they are smaller; HTTP bodies simply take more reads.
     */
    @Bean
    TomcatConnectorCustomizer smallSocketBuffers() {
        return connector -> {
            // Client frames are small (a send is a few hundred bytes); a longer one just takes another read.
            connector.setProperty("socket.appReadBufSize", "1024");
            connector.setProperty("socket.appWriteBufSize", "2048");
        };
    }

    /**
     * 2 bytes a char, for every socket: 512 chars hold a typical client frame (a send is a few hundred); longer
     * ones arrive in parts. Was 2048 (4 KiB a socket).
     */
    static final int CONTAINER_TEXT_BUFFER_CHARS = 512;

    static final int CONTAINER_BINARY_BUFFER_BYTES = 256;
}
