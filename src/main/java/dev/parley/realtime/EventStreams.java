package dev.parley.realtime;

import java.io.IOException;
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
 * The open Server-Sent Events streams of this node. Each runs on a virtual thread: it sends the caller's events
 * after its cursor, then waits for a wake-up (or the fallback poll) and sends what has arrived since, each event
 * with its cursor as the SSE id. Streams are ended before the web server's graceful shutdown, which would
 * otherwise wait for them (and long polls are answered at once); clients reconnect with their Last-Event-ID.
 */
@Component
class EventStreams implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

    private final SyncService sync;
    private final SyncProperties properties;
    private final Set<Stream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean running;

    EventStreams(SyncService sync, SyncProperties properties) {
        this.sync = sync;
        this.properties = properties;
    }

    /** Starts streaming {@code user}'s events after {@code after} (from the beginning when null). */
    SseEmitter open(UUID user, SyncCursor after) {
        SseEmitter emitter = new SseEmitter(properties.sseMaxDuration().toMillis());
        Stream stream = new Stream(user, after, emitter);
        open.add(stream);
        emitter.onCompletion(stream::close);
        emitter.onTimeout(stream::close);
        emitter.onError(e -> stream.close());
        Thread.ofVirtual().name("sse-" + user).start(stream::run);
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

    private final class Stream {

        private final UUID user;
        private final SseEmitter emitter;
        private volatile boolean closed;
        private SyncCursor after;

        Stream(UUID user, SyncCursor after, SseEmitter emitter) {
            this.user = user;
            this.after = after;
            this.emitter = emitter;
        }

        void close() {
            closed = true;
            open.remove(this);
        }

        void run() {
            long quietSince = System.nanoTime();
            try {
                // A comment first, so the client sees the stream open even when there is nothing to catch up.
                emitter.send(SseEmitter.event().comment("open"));
                while (!closed) {
                    SyncWaiters.Waiter waiter = sync.register(user);
                    try {
                        SyncService.SyncPage page = sync.read(user, after, SyncService.DEFAULT_LIMIT);
                        for (SyncService.SyncEvent event : page.events()) {
                            emitter.send(SseEmitter.event().id(event.eventId()).data(event, MediaType.APPLICATION_JSON));
                            sync.streamed();
                            quietSince = System.nanoTime();
                        }
                        if (page.nextCursor() != null) {
                            after = SyncCursor.parse("cursor", page.nextCursor());
                        }
                        if (page.hasMore()) {
                            continue;
                        }
                        if (System.nanoTime() - quietSince > properties.sseHeartbeat().toNanos()) {
                            // Also how a vanished client is noticed: the write fails.
                            emitter.send(SseEmitter.event().comment("keepalive"));
                            quietSince = System.nanoTime();
                        }
                        waiter.await(sync.fallbackPoll());
                    } finally {
                        sync.unregister(user, waiter);
                    }
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
            }
        }
    }
}
