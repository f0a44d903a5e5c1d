package dev.parley.realtime.gateway;

import dev.parley.common.AuthUser;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One device's socket with its bounded outbound queue. {@link #send} only enqueues and never blocks; one task
 * at a time (on a virtual thread) writes the queue to the socket in order. A client that lets more than the
 * buffer limit pile up, or whose write stalls beyond the send-time limit, is dropped at once (close 4008): it
 * then gets nothing more, and the others never wait for it.
 *
 * <p>Spring's {@code ConcurrentWebSocketSessionDecorator} enforces the same two limits but writes on the thread
 * that happens to win its flush lock; a fan-out thread would then block on a stalled socket. Here the writing
 * always happens on the connection's own task.
 */
public final class Connection {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    /**
     * The limits a connection enforces, from {@link RealtimeProperties}: the outbound buffer and write time, and the
     * client's frames, one every {@code frameIntervalNanos} sustained (0: unlimited) and {@code frameBurst} at once.
     */
    record Limits(long bufferBytes, long sendTimeNanos, long frameIntervalNanos, int frameBurst) {

        /** Without a frame limit. */
        Limits(long bufferBytes, long sendTimeNanos) {
            this(bufferBytes, sendTimeNanos, 0, 1);
        }
    }

    private final WebSocketSession session;
    private final UUID userId;
    private final Limits limits;
    private final Executor writer;
    private final Consumer<Connection> onClose;
    /** The container's endpoint, for writing frames already encoded (null: the standard send). */
    private final Object endpoint;

    private final Queue<WebSocketMessage<?>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean socketClosed = new AtomicBoolean();
    private volatile CloseStatus closeStatus = CloseStatus.NORMAL;
    /** Set by {@link #closeAfterQueued}: nothing more is queued, and the socket closes once the queue is written. */
    private volatile CloseStatus closing;
    /** When the write in progress started (System.nanoTime), or 0 when none is. */
    private volatile long writeStarted;

    private volatile long lastHeard;
    private volatile long lastPinged;
    /** When the token the socket was opened with expires (System.nanoTime), or 0 when it never does. */
    private volatile long tokenExpires;
    /** Who opened the socket, with what their token said (its session), for revocation checks. */
    private volatile AuthUser caller;
    /** What the device last said of itself in a heartbeat, kept to register it again in an emptied store. */
    private volatile boolean away;
    /**
     * The client's frame allowance as a GCRA (a token bucket in one number): the System.nanoTime at which it would
     * be whole again. With the count of frames refused since the last one admitted, only touched from the
     * container's thread for this socket, which hands over one frame at a time.
     */
    private long framesWhole;

    private int framesRefused;
    /** When the presence store last heard of this device's traffic (System.nanoTime). */
    private volatile long presenceRefreshed;

    private static final VarHandle PRESENCE_REFRESHED;

    static {
        try {
            PRESENCE_REFRESHED =
                    MethodHandles.lookup().findVarHandle(Connection.class, "presenceRefreshed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Connection(WebSocketSession session, UUID userId, Limits limits, Executor writer, Consumer<Connection> onClose) {
        this.session = session;
        this.userId = userId;
        this.limits = limits;
        this.writer = writer;
        this.onClose = onClose;
        this.endpoint = EncodedTextSender.endpointOf(session);
        this.lastHeard = System.nanoTime();
        this.presenceRefreshed = lastHeard;
        this.framesWhole = lastHeard;
    }

    public String id() {
        return session.getId();
    }

    UUID userId() {
        return userId;
    }

    boolean isOpen() {
        return !closed.get();
    }

    /** Queues a frame; false when the connection is closed, or was just closed for being too slow. */
    public boolean send(WebSocketMessage<?> message) {
        if (closed.get() || closing != null) {
            return false;
        }
        queue.add(message);
        long queued = queuedBytes.addAndGet(message.getPayloadLength());
        if (queued > limits.bufferBytes() || stalled(System.nanoTime())) {
            log.info("websocket_slow_consumer session_id={} user_id={} queued_bytes={}", id(), userId, queued);
            close(CloseCodes.SLOW_CONSUMER);
            return false;
        }
        if (writing.compareAndSet(false, true)) {
            writer.execute(this::write);
        }
        return true;
    }

    /**
     * True for exactly one caller once {@code interval} has passed since the presence store last heard of this
     * device, which then tells it (a field here rather than a per-session attribute object).
     */
    boolean presenceDue(long now, long interval) {
        long last = presenceRefreshed;
        return now - last >= interval && PRESENCE_REFRESHED.compareAndSet(this, last, now);
    }

    /**
     * Takes one frame from the client's allowance: 0 when the frame may be handled, else the nanoseconds until one
     * may. A client that sends a whole burst more while refused is closed with 4029 ({@link CloseCodes#FRAME_FLOOD}).
     */
    long admitFrame(long now) {
        long interval = limits.frameIntervalNanos();
        if (interval == 0) {
            return 0;
        }
        long next = (framesWhole - now > 0 ? framesWhole : now) + interval;
        long ahead = next - now - interval * limits.frameBurst();
        if (ahead <= 0) {
            framesWhole = next;
            framesRefused = 0;
            return 0;
        }
        if (++framesRefused == limits.frameBurst() + 1) {
            log.info("websocket_frame_flood session_id={} user_id={}", id(), userId);
            closeAfterQueued(CloseCodes.FRAME_FLOOD);
        }
        return ahead;
    }

    /**
     * Queues nothing more and closes the socket once what is queued has been written, so that the client gets the
     * frames that explain the close (the {@code error} frames of a flood) before it.
     */
    void closeAfterQueued(CloseStatus status) {
        if (closed.get() || closing != null) {
            return;
        }
        closing = status;
        if (writing.compareAndSet(false, true)) {
            writer.execute(this::write);
        }
    }

    /** The socket is closed with 4001 at {@code deadline} (System.nanoTime), when its token expires. */
    void expiresAt(long deadline) {
        tokenExpires = deadline | 1;
    }

    /** The caller the socket was opened by; revoking their access closes it (4003). */
    void authenticatedAs(AuthUser caller) {
        this.caller = caller;
    }

    AuthUser caller() {
        AuthUser known = caller;
        return known == null ? new AuthUser(userId) : known;
    }

    boolean away() {
        return away;
    }

    void away(boolean away) {
        this.away = away;
    }

    /** The client sent something (a frame or a pong): it is alive. */
    void heard() {
        lastHeard = System.nanoTime();
    }

    /**
     * Heartbeat duties, called periodically: drops a socket whose write has stalled, whose token has expired or
     * that has been silent for the idle timeout, and pings one that has been silent for the heartbeat interval.
     */
    void check(long now, long heartbeatNanos, long idleNanos) {
        if (closed.get()) {
            return;
        }
        long expires = tokenExpires;
        if (stalled(now)) {
            close(CloseCodes.SLOW_CONSUMER);
        } else if (expires != 0 && now - expires >= 0) {
            log.debug("websocket_token_expired session_id={} user_id={}", id(), userId);
            close(CloseCodes.TOKEN_EXPIRED);
        } else if (now - lastHeard > idleNanos) {
            close(CloseCodes.IDLE_TIMEOUT);
        } else if (now - lastHeard > heartbeatNanos && now - lastPinged > heartbeatNanos) {
            lastPinged = now;
            send(new PingMessage());
        }
    }

    /**
     * Stops sending at once and closes the socket in the background. A write in progress is let finish first (or
     * fail by the container's send timeout), so that the client gets the close frame with its code rather than a
     * connection torn down in the middle of a frame.
     */
    void close(CloseStatus status) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeStatus = status;
        queue.clear();
        onClose.accept(this);
        if (writing.compareAndSet(false, true)) {
            writer.execute(this::write);
        }
    }

    /** The container closed the socket (the client left, or our close completed). */
    void closed() {
        if (closed.compareAndSet(false, true)) {
            queue.clear();
            onClose.accept(this);
        }
    }

    private boolean stalled(long now) {
        long started = writeStarted;
        return started != 0 && now - started > limits.sendTimeNanos();
    }

    /** The socket's only writer: at most one runs at a time (the {@code writing} flag). */
    private void write() {
        try {
            WebSocketMessage<?> next;
            while (!closed.get() && (next = queue.poll()) != null) {
                queuedBytes.addAndGet(-next.getPayloadLength());
                writeStarted = System.nanoTime() | 1;
                if (next instanceof TextMessage text) {
                    EncodedTextSender.send(session, endpoint, text);
                } else {
                    session.sendMessage(next);
                }
                writeStarted = 0;
            }
            CloseStatus then = closing;
            if (then != null && queue.isEmpty()) {
                close(then);
            }
        } catch (IOException | RuntimeException e) {
            writeStarted = 0;
            log.debug("websocket_send_failed session_id={}", id(), e);
            closed.set(true);
            closeStatus = CloseStatus.SERVER_ERROR;
            queue.clear();
            onClose.accept(this);
        }
        if (closed.get()) {
            closeSocket();
            return;
        }
        writing.set(false);
        // A frame (or a close) that came after the last poll but before the flag dropped found a writer running.
        if ((closed.get() || closing != null || !queue.isEmpty()) && writing.compareAndSet(false, true)) {
            writer.execute(this::write);
        }
    }

    private void closeSocket() {
        if (!socketClosed.compareAndSet(false, true)) {
            return;
        }
        try {
            session.close(closeStatus);
        } catch (IOException | RuntimeException e) {
            log.debug("websocket_close_failed session_id={}", id(), e);
        }
    }
}
