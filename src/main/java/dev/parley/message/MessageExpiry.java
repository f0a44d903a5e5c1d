package dev.parley.message;

import dev.parley.attachment.AttachmentService;
import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEntry;
import dev.parley.audit.AuditLog;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The expiry sweep: disappearing messages whose {@code expires_at} has passed, and (with
 * {@code parley.messages.retention} set) every message older than the retention. Expired messages are removed for
 * good (history, search, sync, previews and unread counts read the table, so they are gone from each at once), their
 * images leave storage, and participants get {@code message.deleted} with {@code expired: true}. Retention first
 * drops whole monthly partitions that lie entirely before the cut-off (one catalogue operation instead of a delete
 * per row), then deletes the older rows of the month the cut-off falls in.
 *
 * <p>Each node looks every {@code expiry-sweep-interval}; an advisory lock lets one sweep at a time, in batches of
 * {@code expiry-batch} messages per transaction, so sends never wait long on it.
 */
@Component
public class MessageExpiry {

    private static final Logger log = LoggerFactory.getLogger(MessageExpiry.class);

    /** What one sweep did. */
    public record Sweep(long expired, long retained, int partitionsDropped) {

        boolean any() {
            return expired + retained + partitionsDropped > 0;
        }
    }

    private final ExpiryRepository expiry;
    private final AttachmentService attachments;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final MessageProperties properties;
    private final AuditLog audit;
    private final Clock clock;
    private final AtomicBoolean sweeping = new AtomicBoolean();

    MessageExpiry(
            ExpiryRepository expiry,
            AttachmentService attachments,
            ApplicationEventPublisher events,
            TransactionTemplate transactions,
            MessageProperties properties,
            AuditLog audit,
            Clock clock) {
        this.expiry = expiry;
        this.attachments = attachments;
        this.events = events;
        this.transactions = transactions;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
    }

    /** The sweep runs on a thread of its own, so a long one holds up no other scheduled work. */
    @Scheduled(fixedDelayString = "${parley.messages.expiry-sweep-interval:5s}", initialDelayString = "PT3S")
    void tick() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("message-expiry").start(() -> {
            try {
                run();
            } catch (RuntimeException e) {
                log.warn("message_expiry_failed; tried again at the next sweep", e);
            } finally {
                sweeping.set(false);
            }
        });
    }

    /** One sweep, now; an empty result when another node is sweeping. */
    public Sweep run() {
        Sweep[] result = {new Sweep(0, 0, 0)};
        expiry.whileLocked(() -> result[0] = sweep(clock.instant()));
        if (result[0].any()) {
            log.info(
                    "messages_expired expired={} retained={} partitions_dropped={}",
                    result[0].expired(),
                    result[0].retained(),
                    result[0].partitionsDropped());
            transactions.executeWithoutResult(status -> audit.record(AuditEntry.of(AuditAction.MESSAGES_EXPIRED)
                    .detail("expired", result[0].expired())
                    .detail("retention", result[0].retained())
                    .detail("partitions_dropped", result[0].partitionsDropped())));
        }
        return result[0];
    }

    private Sweep sweep(Instant now) {
        long expired = 0;
        int batch = properties.expiryBatch();
        List<ExpiryRepository.Removed> removed;
        do {
            removed = transactions.execute(status -> {
                List<ExpiryRepository.Removed> rows = expiry.removeExpired(now, batch);
                forgetImages(rows, true);
                return rows;
            });
            if (!removed.isEmpty()) {
                // Live delivery; the statement logged them for sync.
                events.publishEvent(new MessagesExpired(removed.stream()
                        .map(r -> new MessageDeleted(
                                r.conversationId(), r.messageId(), r.seq(), r.senderId(), null, true))
                        .toList()));
            }
            expired += removed.size();
        } while (removed.size() == batch);
        if (properties.retention() == null) {
            return new Sweep(expired, 0, 0);
        }
        Instant cutoff = now.minus(properties.retention());
        int dropped = 0;
        for (ExpiryRepository.Partition month : expiry.partitions()) {
            if (!month.end().isAfter(cutoff) && dropMonth(month)) {
                dropped++;
            }
        }
        long retained = 0;
        do {
            removed = transactions.execute(status -> {
                List<ExpiryRepository.Removed> rows = expiry.removeOlderThan(cutoff, batch);
                forgetImages(rows, false);
                return rows;
            });
            retained += removed.size();
        } while (removed.size() == batch);
        return new Sweep(expired, retained, dropped);
    }

    /** A whole month before the cut-off: its images leave storage, then the partition goes. */
    private boolean dropMonth(ExpiryRepository.Partition month) {
        try {
            transactions.executeWithoutResult(status -> {
                attachments.forgetRemovedMessages(expiry.imageMessagesIn(month), false);
                expiry.dropPartition(month);
            });
            log.info("message_partition_dropped partition={}", month.name());
            return true;
        } catch (RuntimeException e) {
            // Most likely the lock timeout on a busy table: the next sweep tries again.
            log.warn("message_partition_drop_failed partition={}", month.name(), e);
            return false;
        }
    }

    private void forgetImages(List<ExpiryRepository.Removed> rows, boolean expired) {
        attachments.forgetRemovedMessages(
                rows.stream()
                        .filter(r -> r.type() == MessageType.IMAGE)
                        .map(ExpiryRepository.Removed::messageId)
                        .toList(),
                expired);
    }
}
