package dev.parley.realtime.gateway;

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
 * @param maxSocketsPerUser sockets one user may hold open on one node (phones, tablets, browser tabs); the next
 *                          handshake gets 429. 0: no cap
 * @param frameRate         frames (text, and pongs) one socket may send per second, sustained; beyond it a frame is
 *                          answered with an {@code error} frame instead of being handled. 0: no limit
 * @param frameBurst        frames a socket may send at once; a socket that sends this many more while over its rate
 *                          is closed with 4029
 * @param closeTimeout      on shutdown, how long the gateway waits for the frames being handled and for what is
 *                          queued for each socket before its 1001 close; then sockets close regardless
 */
@ConfigurationProperties("parley.realtime")
public record RealtimeProperties(
        @DefaultValue("*") List<String> allowedOrigins,
        @DefaultValue("64KB") DataSize maxFrameSize,
        @DefaultValue("1MB") DataSize sendBufferLimit,
        @DefaultValue("10s") Duration sendTimeLimit,
        @DefaultValue("30s") Duration heartbeatInterval,
        @DefaultValue("75s") Duration idleTimeout,
        @DefaultValue("10") int maxSocketsPerUser,
        @DefaultValue("20") int frameRate,
        @DefaultValue("40") int frameBurst,
        @DefaultValue("10s") Duration closeTimeout) {

    public RealtimeProperties {
        if (maxSocketsPerUser < 0 || frameRate < 0 || frameBurst < 1) {
            throw new IllegalArgumentException("parley.realtime: max-sockets-per-user and frame-rate must be 0 (off) "
                    + "or positive, frame-burst positive");
        }
    }
}
