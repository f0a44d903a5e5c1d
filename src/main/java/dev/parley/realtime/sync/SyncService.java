package dev.parley.realtime.sync;

import dev.parley.auth.AccessTokens;
import dev.parley.common.AuthUser;
import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.common.ReadSource;
import dev.parley.message.MessageEventData;
import dev.parley.message.MessagePreviews;
import dev.parley.message.MessageView;
import dev.parley.realtime.delivery.EventFrames;
import dev.parley.realtime.gateway.UserSlots;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Catch-up: what a user missed, from the catch-up log, in commit order. Messages are read at sync time, so a
 * client gets their current state (an edited text, a tombstone), with the same frame shapes as the WebSocket.
 */
@Service
class SyncService {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    static final int MAX_TIMEOUT_SECONDS = 30;

    /** One event as clients see it: {@code event_id} is the cursor just after it. */
    record SyncEvent(String eventId, String type, Object data) {}

    /** {@code next_cursor} is null only when nothing was ever returned from the beginning. */
    record SyncPage(List<SyncEvent> events, String nextCursor, boolean hasMore) {}

    private final SyncRepository log;
    private final SyncWaiters waiters;
    private final MessagePreviews messages;
    private final JsonMapper json;
    private final AccessTokens tokens;
    private final UserSlots longPolls;
    private final Counter servedBySync;
    private final Counter servedByStream;
    private final ReadSource reads;

    SyncService(
            SyncRepository log,
            SyncWaiters waiters,
            MessagePreviews messages,
            JsonMapper json,
            AccessTokens tokens,
            SyncProperties properties,
            MeterRegistry registry,
            ReadSource reads) {
        this.reads = reads;
        this.log = log;
        this.waiters = waiters;
        this.messages = messages;
        this.json = json;
        this.tokens = tokens;
        this.longPolls = new UserSlots(properties.maxLongPollsPerUser(), "long_polls", "long polls");
        this.servedBySync = served(registry, "sync");
        this.servedByStream = served(registry, "sse");
        Gauge.builder("sync.waiting", waiters, SyncWaiters::count)
                .description("Long polls and event streams of this node waiting for events")
                .register(registry);
    }

    /** Exported as {@code sync_events_served_total{transport="sync"|"sse"}}. */
    private static Counter served(MeterRegistry registry, String transport) {
        return Counter.builder("sync.events.served")
                .tag("transport", transport)
                .description("Catch-up events returned by sync and long polls, or streamed as Server-Sent Events")
                .register(registry);
    }

    /** An event went out on an event stream. */
    void streamed() {
        servedByStream.increment();
    }

    /**
     * Where to read from: the start of the caller's history when {@code since} is absent. Throws VALIDATION_FAILED
     * for a cursor this server did not issue, and for one older than the retention of the log (the client must
     * then reload its conversations from history and start over without {@code since}).
     */
    SyncCursor start(String field, String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        SyncCursor cursor = SyncCursor.parse(field, since.strip());
        if (cursor.compareTo(log.purgedThrough()) < 0) {
            throw new ParleyException(
                    ErrorCode.VALIDATION_FAILED,
                    "The cursor is older than the event retention; "
                            + "resync from history (conversation list and messages) and sync again without since",
                    Map.of("field", field, "reason", "cursor_expired"));
        }
        return cursor;
    }

    /** Throws VALIDATION_FAILED. */
    static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ParleyException.validation("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    /** Throws VALIDATION_FAILED. */
    static Duration timeout(Integer seconds) {
        if (seconds == null) {
            return Duration.ZERO;
        }
        if (seconds < 0 || seconds > MAX_TIMEOUT_SECONDS) {
            throw ParleyException.validation("timeout", "timeout must be between 0 and " + MAX_TIMEOUT_SECONDS);
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * The events after {@code after} (from the beginning when null). With a timeout and nothing to return, waits
     * until something arrives or the time is up, then answers (possibly empty). Without a timeout a replica may
     * serve it ({@link ReadSource}), and may be a moment behind; a wait reads as {@link #catchUp} says. Throws
     * UNAUTHORIZED when the caller's access is revoked while waiting, RATE_LIMIT_EXCEEDED for a long poll beyond
     * {@code parley.sync.max-long-polls-per-user} of the user's waiting on this node.
     */
    SyncPage sync(AuthUser caller, SyncCursor after, int limit, Duration timeout) throws InterruptedException {
        UUID user = caller.id();
        SyncPage page;
        if (timeout.isZero()) {
            page = reads.read(user, () -> read(user, after, limit));
        } else {
            longPolls.acquire(user);
            try {
                page = waitFor(caller, after, limit, timeout);
            } finally {
                longPolls.release(user);
            }
        }
        servedBySync.increment(page.events().size());
        return page;
    }

    /**
     * Reads the log when the poll starts and whenever woken (a commit here, the notifier, or a revocation), until
     * the time is up.
     */
    private SyncPage waitFor(AuthUser caller, SyncCursor after, int limit, Duration timeout)
            throws InterruptedException {
        UUID user = caller.id();
        long deadline = System.nanoTime() + timeout.toNanos();
        // Registered before the first read, and kept: a commit while reading wakes the next wait at once.
        SyncWaiters.Waiter waiter = waiters.register(user);
        try {
            boolean first = true;
            while (true) {
                if (tokens.isRevoked(caller)) {
                    throw new ParleyException(ErrorCode.UNAUTHORIZED, "Access was revoked; sign in again");
                }
                SyncPage page = first ? catchUp(user, after, limit) : read(user, after, limit);
                first = false;
                long left = deadline - System.nanoTime();
                if (!page.events().isEmpty()
                        || left <= 0
                        || waiters.closing()
                        || !waiter.await(Duration.ofNanos(left))) {
                    return page;
                }
            }
        } finally {
            waiters.unregister(user, waiter);
        }
    }

    /** Ends every wait of this node (the server is stopping); waiting requests answer with what they have. */
    void stopWaiting() {
        waiters.closeAll();
    }

    /** Waits last their full time again (the server started, or a stopped context was restarted). */
    void resumeWaiting() {
        waiters.open();
    }

    SyncWaiters.Waiter register(UUID user) {
        return waiters.register(user);
    }

    void unregister(UUID user, SyncWaiters.Waiter waiter) {
        waiters.unregister(user, waiter);
    }

    /**
     * The first page of a wait (a long poll, an event stream): a replica may serve it; when it has nothing, the
     * primary is asked too, since the commit whose wake-up this wait would otherwise miss may not have reached the
     * replica yet. The reads after a wake-up go to the primary ({@link #read}), which has what woke them.
     */
    SyncPage catchUp(UUID user, SyncCursor after, int limit) {
        SyncPage page = reads.read(user, () -> read(user, after, limit));
        boolean empty = page.events().isEmpty() && !page.hasMore();
        return empty ? read(user, after, limit) : page;
    }

    /** One page, without waiting, from the primary (unless an enclosing read chose a replica). */
    SyncPage read(UUID user, SyncCursor after, int limit) {
        List<SyncRepository.Row> rows = log.page(user, after == null ? SyncCursor.START : after, limit + 1);
        boolean more = rows.size() > limit;
        List<SyncRepository.Row> shown = more ? rows.subList(0, limit) : rows;
        Map<UUID, MessageView> current = hydrate(shown, user);
        List<SyncEvent> events = new ArrayList<>(shown.size());
        for (SyncRepository.Row row : shown) {
            Object data;
            if (namesMessage(row)) {
                MessageView message = current.get(row.messageId());
                if (message == null) {
                    continue; // its partition was dropped: nothing left to show, the cursor still moves past it
                }
                data = new MessageEventData(row.conversationId(), message);
            } else {
                data = json.readTree(row.data());
            }
            events.add(new SyncEvent(row.position().toString(), row.type(), data));
        }
        String next = shown.isEmpty()
                ? (after == null ? null : after.toString())
                : shown.getLast().position().toString();
        return new SyncPage(events, next, more);
    }

    /** The current state of the messages the page's message events name, in one query. */
    private Map<UUID, MessageView> hydrate(List<SyncRepository.Row> rows, UUID viewer) {
        List<MessagePreviews.PreviewKey> keys = new ArrayList<>();
        for (SyncRepository.Row row : rows) {
            if (namesMessage(row)) {
                JsonNode created = json.readTree(row.data()).get("created_at");
                Instant at = OffsetDateTime.parse(created.asString()).toInstant();
                keys.add(new MessagePreviews.PreviewKey(row.messageId(), at));
            }
        }
        return messages.previews(keys, viewer);
    }

    /** Events whose data is the message itself, read from {@code messages} at sync time. */
    private static boolean namesMessage(SyncRepository.Row row) {
        return row.messageId() != null
                && (EventFrames.MESSAGE_NEW.equals(row.type()) || EventFrames.MESSAGE_UPDATED.equals(row.type()));
    }
}
