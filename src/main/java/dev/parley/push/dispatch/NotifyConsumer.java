package dev.parley.push.dispatch;

import dev.parley.common.PeriodicWork;
import dev.parley.conversation.UnreadCounts;
import dev.parley.eventlog.EventType;
import dev.parley.message.MessageSent;
import dev.parley.push.LogEvent;
import dev.parley.push.LogSubscriber;
import dev.parley.push.NotificationRequested;
import dev.parley.push.PushProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Derives notifications from the catch-up log, never on the send path: every {@code parley.push.interval} each
 * node offers to read the log after the consumer's cursor, and the node that gets the consumer's advisory lock
 * does, a batch per transaction until caught up. In that transaction it applies the rule to each user message
 * ({@link NotifyRule}), queues the pushes ({@link PushQueue}), hands the batch to the webhook subscriber, and
 * moves the cursor: all or nothing, so an event is neither lost nor queued twice by a crash in between. Once
 * a batch that queued pushes commits, the queue nudges this node's {@link PushWorker}. A message this node stores
 * wakes an idle consumer once it commits ({@link #on(MessageSent)}, {@link PeriodicWork#wake}): the first message
 * after a quiet spell need not wait for the next interval, while at a steady rate, where each interval's turn
 * finds messages, no turn is added. Messages stored on other nodes wait for the interval.
 */
@Component
class NotifyConsumer extends PeriodicWork {

    private static final String MESSAGE_NEW = EventType.MESSAGE_NEW.wire();
    private static final String RECEIPT_UPDATED = EventType.RECEIPT_UPDATED.wire();

    /** How long a woken turn waits for more commits to join it, so that a burst of sends is read together. */
    private static final Duration WAKE_AFTER = Duration.ofMillis(10);

    private final NotifyLog events;
    private final PushQueue queue;
    private final NotifyRule rule;
    private final Notifications notifications;
    private final TransactionTemplate transactions;
    private final PushProperties properties;
    private final List<LogSubscriber> subscribers;

    NotifyConsumer(
            NotifyLog events,
            PushQueue queue,
            NotifyRule rule,
            Notifications notifications,
            TransactionTemplate transactions,
            TaskScheduler scheduler,
            PushProperties properties,
            List<LogSubscriber> subscribers) {
        super(
                scheduler,
                properties.interval(),
                "Deriving notifications from the event log failed; its cursor did not move, so the events are read"
                        + " again");
        this.events = events;
        this.queue = queue;
        this.rule = rule;
        this.notifications = notifications;
        this.transactions = transactions;
        this.properties = properties;
        this.subscribers = subscribers;
    }

    /** Reads until caught up, another node holds the cursor, or this node stops; returns the events read. */
    long catchUp() {
        AtomicBoolean first = new AtomicBoolean(true);
        return whileFull(properties.batch(), () -> {
            boolean cap = first.getAndSet(false);
            Integer read = transactions.execute(status -> events.claim() ? step(cap) : 0);
            return read == null ? 0 : read;
        });
    }

    /** One transaction; {@code cap}: at most about one worker batch of pushes (the turn's first transaction). */
    private int step(boolean cap) {
        boolean everyType = subscribers.stream().anyMatch(LogSubscriber::active);
        NotifyLog.Cursor cursor = events.cursor();
        long horizon = events.horizon();
        List<NotifyLog.Positioned> batch = events.read(cursor, horizon, properties.batch(), everyType);
        List<NotifyRule.Message> messages = messages(batch);
        Map<Long, Set<UUID>> recipients = messages.isEmpty() ? Map.of() : rule.recipients(messages);
        List<NotifyLog.Positioned> taken = cap ? upToOneBatchOfPushes(batch, recipients) : batch;
        Map<Long, List<NotificationRequested>> requested = notify(taken, recipients, everyType);
        if (everyType) {
            List<LogEvent> read =
                    taken.stream().map(NotifyLog.Positioned::event).toList();
            for (LogSubscriber subscriber : subscribers) {
                if (subscriber.active()) {
                    subscriber.accept(read, requested);
                }
            }
        }
        boolean cut = taken.size() < batch.size();
        // A short batch read everything below the horizon: the cursor moves to it, so that idle turns (or a log
        // of types this consumer skips) never rescan the same events.
        NotifyLog.Cursor next = cut || batch.size() == properties.batch()
                ? taken.getLast().position()
                : new NotifyLog.Cursor(horizon, -1);
        if (!next.equals(cursor)) {
            events.advance(next);
        }
        // A cut batch counts as full: the rest is read in the next transaction, right away.
        return cut ? properties.batch() : batch.size();
    }

    private static List<NotifyRule.Message> messages(List<NotifyLog.Positioned> read) {
        List<NotifyRule.Message> messages = new ArrayList<>();
        for (NotifyLog.Positioned positioned : read) {
            LogEvent event = positioned.event();
            if (event.type().equals(MESSAGE_NEW) && !positioned.fields().system() && event.actorId() != null) {
                messages.add(new NotifyRule.Message(event.eventId(), event.conversationId(), event.actorId()));
            }
        }
        return messages;
    }

    /**
     * The batch's first events up to the one that brings its pushes to one worker batch ({@code
     * parley.push.batch}), at least one event. A turn's first transaction takes only these: a burst of group
     * messages (3,200 pushes for 32 messages to 100 members) then commits its first pushes, and the worker starts
     * sending them, while the rest is built in the next transaction, instead of after the whole burst's badges,
     * payloads and rows. Only the first: each transaction computes its recipients' badges again, so cutting
     * every one costs PostgreSQL more than the early start saves (measured: docs/benchmarks.md).
     */
    private List<NotifyLog.Positioned> upToOneBatchOfPushes(
            List<NotifyLog.Positioned> batch, Map<Long, Set<UUID>> recipients) {
        int pushes = 0;
        for (int i = 0; i < batch.size() - 1; i++) {
            Set<UUID> chosen = recipients.get(batch.get(i).event().eventId());
            pushes += chosen == null ? 0 : chosen.size();
            if (pushes >= properties.batch()) {
                return batch.subList(0, i + 1);
            }
        }
        return batch;
    }

    /** Queues the pushes of the events read; {@code report}: whether subscribers want the notifications requested. */
    private Map<Long, List<NotificationRequested>> notify(
            List<NotifyLog.Positioned> read, Map<Long, Set<UUID>> recipients, boolean report) {
        List<Notifications.Item> items = new ArrayList<>();
        Set<Notifications.Read> reads = new LinkedHashSet<>();
        Set<UnreadCounts.ReadAt> atEnd = rule.readToEnd(read.stream()
                .filter(positioned -> positioned.event().type().equals(RECEIPT_UPDATED))
                .map(NotifyConsumer::readAt)
                .toList());
        for (NotifyLog.Positioned positioned : read) {
            LogEvent event = positioned.event();
            NotifyLog.Fields fields = positioned.fields();
            Set<UUID> chosen = recipients.get(event.eventId());
            if (chosen != null && chosen.isEmpty()) {
                // Everyone is live (or muted, or blocking): no push and no notification to report, so neither
                // its preview nor its group's name is looked up (most messages, when people are online).
                continue;
            }
            if (chosen != null) {
                items.add(new Notifications.Item(
                        new Notifications.Message(
                                event.eventId(),
                                event.conversationId(),
                                event.messageId(),
                                event.messageCreatedAt(),
                                fields.seq(),
                                chosen),
                        null));
            } else if (event.type().equals(RECEIPT_UPDATED)) {
                UUID reader = UUID.fromString(fields.userId());
                Notifications.Read readEvent =
                        new Notifications.Read(event.conversationId(), reader, event.originSession());
                // Only the read that left the watermark at the end counts (a later read's event tells its own), once.
                if (atEnd.contains(readAt(positioned)) && reads.add(readEvent)) {
                    items.add(new Notifications.Item(null, readEvent));
                }
            }
        }
        if (items.isEmpty()) {
            return Map.of();
        }
        Notifications.Built built = notifications.build(items, report);
        queue.enqueue(built.pushes());
        return built.requested();
    }

    private static UnreadCounts.ReadAt readAt(NotifyLog.Positioned receipt) {
        return new UnreadCounts.ReadAt(
                receipt.event().conversationId(),
                UUID.fromString(receipt.fields().userId()),
                receipt.fields().lastReadSeq());
    }

    /** A message (a user's, or a system one, which webhooks carry) committed on this node. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessageSent sent) {
        wake(WAKE_AFTER);
    }

    @Override
    protected boolean enabled() {
        return properties.enabled();
    }

    @Override
    protected void turn() {
        catchUp();
    }
}
