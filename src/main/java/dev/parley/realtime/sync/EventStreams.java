package dev.parley.realtime.sync;

import dev.parley.auth.AccessTokens;
import dev.parley.common.AuthUser;
import dev.parley.common.ShutdownPhases;
import dev.parley.realtime.delivery.StreamTaps;
import dev.parley.realtime.gateway.UserSlots;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open Server-Sent Events streams of this node, at most {@code parley.sync.max-streams-per-user} per user. Each
 * runs on a virtual thread: it sends the caller's events after its cursor, then waits for a wake-up (a commit on
 * this node, or the {@link SyncNotifier}) and sends what has arrived since, each event with its cursor as the SSE
 * id; an idle stream reads the log only every {@code parley.sync.idle-recheck}, as a safety net. Streams are ended
 * before the web server's graceful shutdown, which would otherwise wait for them (and long polls are answered at
 * once), in the phase the gateway closes its sockets ({@link ShutdownPhases#CLIENTS}, after the drain delay);
 * clients reconnect with their Last-Event-ID.
 *
 * <p>Between the log's events a stream also sends the live notices the log never holds ({@link StreamTaps}: today
 * {@code request.updated}), as SSE events without an id, so they leave the client's Last-Event-ID where it was.
 * They are hints: a stream that falls behind keeps only the newest {@link #LIVE_KEPT}.
 */
@Component
class EventStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

    /** Live notices queued per stream at most; each carries the whole state (the folder's counts), the newest win. */
    static final int LIVE_KEPT = 16;

    private final SyncService sync;
    private final SyncProperties properties;
    private final AccessTokens tokens;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private final UserSlots slots;
    private final StreamTaps taps;
    private volatile boolean running;

    EventStreams(SyncService sync, SyncProperties properties, AccessTokens tokens, StreamTaps taps) {
        this.sync = sync;
        this.properties = properties;
        this.tokens = tokens;
        this.taps = taps;
        this.slots = new UserSlots(properties.maxStreamsPerUser(), "event_streams", "event streams");
    }

    /**
     * Starts streaming the caller's events after {@code after} (from the beginning when null), until the caller's
     * token expires or is revoked (checked at every wake-up; a revocation wakes the stream at once). Throws
     * RATE_LIMIT_EXCEEDED when the user already holds {@code parley.sync.max-streams-per-user} streams here.
     */
    SseEmitter open(AuthUser caller, SyncCursor after) {
        slots.acquire(caller.id());
        SseEmitter emitter = new SseEmitter(properties.sseMaxDuration().toMillis());
        Stream stream = new Stream(caller, after, emitter);
        open.add(stream);
        emitter.onCompletion(stream::close);
        emitter.onTimeout(stream::close);
        emitter.onError(e -> stream.close());
        Thread.ofVirtual().name("sse-" + caller.id()).start(stream::run);
        return emitter;
    }

    @Override
    public void start() {
        sync.resumeWaiting();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        // Long polls too: the graceful shutdown would otherwise wait up to their timeout for them.
        sync.stopWaiting();
        for (Stream stream : open) {
            stream.close();
            stream.emitter.complete();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.CLIENTS;
    }

    private final class Stream {

        private final AuthUser caller;
        private final UUID user;
        private final SseEmitter emitter;
        private volatile boolean closed;
        private SyncCursor after;
        /** Registered before the first read and kept: a commit while reading or writing wakes the next wait. */
        private final SyncWaiters.Waiter waiter;
        /** Live notices ({@code {type, data}} JSON) waiting for the stream's thread, which alone writes. */
        private final ArrayDeque<String> live = new ArrayDeque<>();

        private final Runnable untap;

        Stream(AuthUser caller, SyncCursor after, SseEmitter emitter) {
            this.caller = caller;
            this.user = caller.id();
            this.after = after;
            this.emitter = emitter;
            this.waiter = sync.register(user);
            this.untap = taps.open(user, this::notice);
        }

        /** On the delivering thread: queued, never written here, so that a slow client never holds up fan-out. */
        private void notice(String frame) {
            synchronized (live) {
                if (live.size() >= LIVE_KEPT) {
                    live.removeFirst();
                }
                live.addLast(frame);
            }
            waiter.wake();
        }

        private boolean sendLive() throws IOException {
            boolean sent = false;
            while (true) {
                String frame;
                synchronized (live) {
                    frame = live.pollFirst();
                }
                if (frame == null) {
                    return sent;
                }
                emitter.send(SseEmitter.event().data(frame, MediaType.APPLICATION_JSON));
                sent = true;
            }
        }

        void close() {
            closed = true;
            untap.run();
            if (open.remove(this)) {
                slots.release(user);
            }
            // The loop may be waiting: let it end now rather than at its next heartbeat.
            waiter.wake();
        }

        void run() {
            long heartbeat = properties.sseHeartbeat().toNanos();
            long recheck = properties.idleRecheck().toNanos();
            try {
                // A comment first, so the client sees the stream open even when there is nothing to catch up.
                emitter.send(SseEmitter.event().comment("open"));
                long quietSince = System.nanoTime();
                long readAt = 0;
                boolean first = true;
                boolean due = true;
                while (!closed) {
                    if (!tokens.isCurrent(caller)) {
                        // Expired or revoked: no more events; a reconnect with this token gets 401.
                        close();
                        emitter.complete();
                        return;
                    }
                    if (due) {
                        readAt = System.nanoTime();
                        SyncService.SyncPage page = first
                                ? sync.catchUp(user, after, SyncService.DEFAULT_LIMIT)
                                : sync.read(user, after, SyncService.DEFAULT_LIMIT);
                        first = false;
                        for (SyncService.SyncEvent event : page.events()) {
                            emitter.send(
                                    SseEmitter.event().id(event.eventId()).data(event, MediaType.APPLICATION_JSON));
                            sync.streamed();
                            quietSince = System.nanoTime();
                        }
                        if (page.nextCursor() != null) {
                            after = SyncCursor.parse("cursor", page.nextCursor());
                        }
                        if (page.hasMore()) {
                            continue;
                        }
                    }
                    if (sendLive()) {
                        quietSince = System.nanoTime();
                    }
                    long now = System.nanoTime();
                    if (now - quietSince >= heartbeat) {
                        // Also how a vanished client is noticed: the write fails.
                        emitter.send(SseEmitter.event().comment("keepalive"));
                        quietSince = now;
                    }
                    long wait = Math.min(heartbeat - (now - quietSince), recheck - (now - readAt));
                    due = waiter.await(Duration.ofNanos(Math.max(wait, 1_000_000)))
                            || System.nanoTime() - readAt >= recheck;
                }
            } catch (IOException | IllegalStateException e) {
                // The client went away, or the stream was completed: nothing more to send.
                close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                emitter.complete();
            } catch (RuntimeException e) {
                log.warn("sse_stream_failed user_id={}", user, e);
                close();
                emitter.completeWithError(e);
            } finally {
                untap.run();
                sync.unregister(user, waiter);
            }
        }
    }
}
