package dev.parley.realtime.gateway;

import dev.parley.auth.WebSocketHandshakeAuth;
import dev.parley.common.AuthUser;
import dev.parley.presence.PresenceService;
import dev.parley.presence.PresenceStoreLost;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/** The gateway at {@code /api/v1/ws}: one {@link Connection} per socket, client frames to the dispatcher. */
@Component
class ChatSocketHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(ChatSocketHandler.class);
    private static final String CONNECTION = Connection.class.getName();
    private static final String PARTIAL = ChatSocketHandler.class.getName() + ".partial";
    private static final long REFRESH_NANOS = PresenceService.REFRESH.toNanos();
    /** Beyond this a token's expiry is as good as never (and nanoTime arithmetic stays far from overflow). */
    private static final long MAX_TOKEN_MILLIS = Duration.ofDays(365).toMillis();

    private final SessionRegistry sessions;
    private final Clock clock;
    private final FrameDispatcher dispatcher;
    private final PresenceService presence;
    private final Connection.Limits limits;
    private final long maxFrameBytes;
    private final int maxSockets;
    /** Writes to sockets: one short task per burst of frames, each on its own virtual thread. */
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();

    ChatSocketHandler(
            SessionRegistry sessions,
            FrameDispatcher dispatcher,
            PresenceService presence,
            RealtimeProperties properties,
            Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
        this.dispatcher = dispatcher;
        this.presence = presence;
        long frameInterval = properties.frameRate() == 0 ? 0 : Math.max(1, 1_000_000_000L / properties.frameRate());
        this.limits = new Connection.Limits(
                properties.sendBufferLimit().toBytes(),
                properties.sendTimeLimit().toNanos(),
                frameInterval,
                properties.frameBurst());
        this.maxFrameBytes = properties.maxFrameSize().toBytes();
        this.maxSockets = properties.maxSocketsPerUser();
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        // Read once and dropped: the connection keeps the user id, and every idle socket's attributes cost heap.
        AuthUser user = (AuthUser) session.getAttributes().remove(WebSocketHandshakeAuth.ATTRIBUTE);
        // A close may happen on a fan-out thread (a slow consumer): the presence update goes to a thread of its own.
        Connection connection = new Connection(session, user.id(), limits, writers, closed -> {
            if (sessions.remove(closed)) {
                writers.execute(() -> presence.disconnected(closed.userId(), sessions.device(closed)));
            }
        });
        connection.authenticatedAs(user);
        if (session.getAttributes().remove(WebSocketHandshakeAuth.EXPIRES) instanceof Instant expires) {
            // The socket lives no longer than its token (close 4001): a revoked or stolen token stops at its expiry.
            long leftMillis = Math.clamp(expires.toEpochMilli() - clock.millis(), 0, MAX_TOKEN_MILLIS);
            connection.expiresAt(System.nanoTime() + leftMillis * 1_000_000);
        }
        if (!sessions.add(connection, maxSockets)) {
            // Left out of the session's attributes: whatever it sends before the close lands is ignored.
            log.info("websocket_too_many_sockets user_id={}", user.id());
            connection.close(CloseCodes.TOO_MANY_SOCKETS);
            return;
        }
        session.getAttributes().put(CONNECTION, connection);
        presence.connected(user.id(), sessions.device(connection));
        log.debug("websocket_connected session_id={} user_id={}", session.getId(), user.id());
    }

    /**
     * The container hands over frames in parts of its (small) buffer, assembled here up to the frame cap: a
     * container buffer as large as the cap would be allocated for every socket, idle or not.
     */
    @Override
    public boolean supportsPartialMessages() {
        return true;
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) {
        Connection connection = connection(session);
        if (connection == null) {
            return;
        }
        connection.heard();
        refreshPresence(connection);
        String text = assemble(session, message);
        if (text == null) {
            return;
        }
        long wait = connection.admitFrame(System.nanoTime());
        if (wait > 0) {
            // Not handled: told why instead (nothing more once the flood closed the socket).
            connection.send(dispatcher.tooFast(text, wait));
            return;
        }
        // The device id goes along as the origin of whatever the frame causes: its events skip this socket.
        TextMessage answer = dispatcher.handle(connection, sessions.device(connection), text);
        if (answer != null) {
            connection.send(answer);
        }
    }

    @Override
    protected void handlePongMessage(WebSocketSession session, PongMessage message) {
        Connection connection = connection(session);
        if (connection == null) {
            return;
        }
        connection.heard();
        // Unsolicited pongs count as frames too; a refused one needs no answer.
        connection.admitFrame(System.nanoTime());
        refreshPresence(connection);
    }

    /** Any traffic keeps the device present; the store hears of it at most every {@link PresenceService#REFRESH}. */
    private void refreshPresence(Connection connection) {
        if (connection.presenceDue(System.nanoTime(), REFRESH_NANOS)) {
            presence.heartbeat(connection.userId(), sessions.device(connection), null);
        }
    }

    /** Redis lost the presence of this node's devices: register every open socket again, as it was. */
    @EventListener
    void presenceStoreLost(PresenceStoreLost lost) {
        int restored = 0;
        for (UUID user : sessions.users()) {
            for (Connection connection : sessions.of(user)) {
                if (connection.isOpen()) {
                    presence.restore(user, sessions.device(connection), connection.away());
                    restored++;
                }
            }
        }
        log.info("presence_restored devices={}", restored);
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        log.debug("websocket_transport_error session_id={}", session.getId(), exception);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        Connection connection = connection(session);
        if (connection != null) {
            connection.closed();
        }
        log.debug("websocket_closed session_id={} code={}", session.getId(), status.getCode());
    }

    /** The whole frame once its last part arrived; null while parts are pending or after closing for size. */
    private String assemble(WebSocketSession session, TextMessage part) {
        StringBuilder pending = (StringBuilder) session.getAttributes().get(PARTIAL);
        if (part.isLast() && pending == null) {
            return part.getPayload();
        }
        if (pending == null) {
            pending = new StringBuilder();
            session.getAttributes().put(PARTIAL, pending);
        }
        pending.append(part.getPayload());
        if (pending.length() * 2L > maxFrameBytes) {
            session.getAttributes().remove(PARTIAL);
            try {
                session.close(
                        CloseStatus.TOO_BIG_TO_PROCESS.withReason("frame larger than " + maxFrameBytes + " bytes"));
            } catch (IOException e) {
                log.debug("websocket_close_failed session_id={}", session.getId(), e);
            }
            return null;
        }
        if (!part.isLast()) {
            return null;
        }
        session.getAttributes().remove(PARTIAL);
        return pending.toString();
    }

    private static Connection connection(WebSocketSession session) {
        return (Connection) session.getAttributes().get(CONNECTION);
    }

    @PreDestroy
    void shutdown() {
        // Writes still stuck on unresponsive clients must not hold up the shutdown.
        writers.shutdownNow();
    }
}
