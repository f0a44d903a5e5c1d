package dev.parley.realtime.gateway;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.common.ShutdownPhases;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's part of a graceful shutdown (docs/upgrading.md). From the moment readiness goes to
 * REFUSING_TRAFFIC (the first thing a closing context does) no socket opens here: a handshake gets 503
 * SERVICE_UNAVAILABLE with {@code Retry-After: 1}, and the client's retry goes to another node. In phase
 * {@link ShutdownPhases#CLIENTS}, after the drain delay: frames being handled finish (a send commits and its ack is
 * queued), frames arriving from then on are answered SERVICE_UNAVAILABLE unhandled, and every socket is closed with
 * 1001 (going away) once what is queued for it has been written. Bounded by {@code parley.realtime.close-timeout};
 * whatever a client missed it gets from {@code /sync} after reconnecting.
 */
@Component
class GatewayShutdown implements SmartLifecycle, HandshakeInterceptor {

    private static final Logger log = LoggerFactory.getLogger(GatewayShutdown.class);
    private static final long POLL_NANOS = 10_000_000;
    private static final ParleyException GOING_AWAY = new ParleyException(
            ErrorCode.SERVICE_UNAVAILABLE,
            "This server is shutting down; connect again",
            Map.of("retry_after", 1),
            Duration.ofSeconds(1));

    private final SessionRegistry sessions;
    private final JsonMapper json;
    private final long closeTimeoutNanos;
    /** Frames being handled now. */
    private final AtomicInteger inFlight = new AtomicInteger();

    private volatile boolean refusingSockets;
    private volatile boolean refusingFrames;
    private volatile boolean running;

    GatewayShutdown(SessionRegistry sessions, JsonMapper json, RealtimeProperties properties) {
        this.sessions = sessions;
        this.json = json;
        this.closeTimeoutNanos = properties.closeTimeout().toNanos();
    }

    @EventListener
    void readiness(AvailabilityChangeEvent<ReadinessState> event) {
        refusingSockets = event.getState() == ReadinessState.REFUSING_TRAFFIC;
    }

    /**
     * Called before a frame is handled: true when it may be, and then {@link #frameDone()} must follow; false once
     * the sockets are closing. Counted before the flag is read, so the closing step sees every frame let in.
     */
    boolean frameStarted() {
        inFlight.incrementAndGet();
        if (refusingFrames) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void frameDone() {
        inFlight.decrementAndGet();
    }

    @Override
    public boolean beforeHandshake(
            ServerHttpRequest request,
            ServerHttpResponse response,
            WebSocketHandler handler,
            Map<String, Object> attributes)
            throws IOException {
        if (!refusingSockets) {
            return true;
        }
        SocketCap.refuse(response, json, HttpStatus.SERVICE_UNAVAILABLE, GOING_AWAY);
        return false;
    }

    @Override
    public void afterHandshake(
            ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler, Exception exception) {}

    @Override
    public void start() {
        refusingSockets = false;
        refusingFrames = false;
        running = true;
    }

    @Override
    public void stop() {
        closeAll();
    }

    @Override
    public void stop(Runnable callback) {
        Thread.ofVirtual().name("gateway-shutdown").start(() -> {
            try {
                closeAll();
            } finally {
                callback.run();
            }
        });
    }

    private void closeAll() {
        running = false;
        refusingSockets = true;
        refusingFrames = true;
        long started = System.nanoTime();
        long deadline = started + closeTimeoutNanos;
        boolean framesDone = await(() -> inFlight.get() == 0, deadline);
        List<Connection> closing = new ArrayList<>();
        for (UUID user : sessions.users()) {
            for (Connection connection : sessions.of(user)) {
                connection.closeAfterQueued(CloseStatus.GOING_AWAY);
                closing.add(connection);
            }
        }
        boolean socketsDone = await(() -> closing.stream().allMatch(Connection::ended), deadline);
        log.info(
                "websocket_shutdown sockets={} frames_finished={} sockets_closed={} took_ms={}",
                closing.size(),
                framesDone,
                socketsDone,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Polls until the condition holds or the deadline passes (a shutdown step; nothing else waits on it). */
    private static boolean await(BooleanSupplier done, long deadline) {
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.CLIENTS;
    }
}
