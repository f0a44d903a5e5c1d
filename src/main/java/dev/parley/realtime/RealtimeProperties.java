package dev.parley.realtime;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The WebSocket gateway's settings ({@code parley.realtime.*}).
 *
 * @param allowedOrigins    {@code Origin} patterns allowed to open a socket ({@code https://app.example.com},
 *                          {@code https://*.example.com}); {@code *} allows every origin, for development.
 *                          A handshake without {@code Origin} (a native app) is always allowed.
 * @param maxFrameSize      largest text frame a client may send; a larger one closes the socket with 1009
 * @param sendBufferLimit   bytes queued for one socket before it counts as a slow consumer (closed with 4008)
 * @param sendTimeLimit     how long one write to a socket may take before it counts as a slow consumer
 * @param heartbeatInterval a socket silent this long gets a WebSocket ping
 * @param idleTimeout       a socket silent this long (no frame, no pong) is closed with 4000
 */
@ConfigurationProperties("parley.realtime")
public record RealtimeProperties(
        @DefaultValue("*") List<String> allowedOrigins,
        @DefaultValue("64KB") DataSize maxFrameSize,
        @DefaultValue("1MB") DataSize sendBufferLimit,
        @DefaultValue("10s") Duration sendTimeLimit,
        @DefaultValue("30s") Duration heartbeatInterval,
        @DefaultValue("75s") Duration idleTimeout) {
}
