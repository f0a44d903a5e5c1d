package dev.parley.receipt;

import dev.parley.membership.MembershipService;
import dev.parley.message.MessageReader;
import dev.parley.message.MessageRef;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Delivered and read watermarks per participant; they only move forward. The writes are transactional so that
 * the catch-up log records a moved watermark in the same commit.
 */
@Service
public class ReceiptService {

    /** One participant's state for one message. */
    public record Receipt(
            UUID userId,
            @Nullable Instant deliveredAt,
            @Nullable Instant readAt,
            String status) {}

    /** The caller's read position after a read. */
    public record ReadState(UUID conversationId, long lastReadSeq, long unreadCount) {}

    private final ReceiptRepository receipts;
    private final MessageReader messages;
    private final MembershipService access;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ReceiptService(
            ReceiptRepository receipts,
            MessageReader messages,
            MembershipService access,
            ApplicationEventPublisher events,
            Clock clock) {
        this.receipts = receipts;
        this.events = events;
        this.messages = messages;
        this.access = access;
        this.clock = clock;
    }

    /**
     * Marks the message and everything before it read, by the caller's {@code session} (null when unknown).
     * Throws MESSAGE_NOT_FOUND.
     */
    @Transactional
    public ReadState markRead(UUID caller, UUID messageId, UUID session) {
        return markRead(caller, messageId, null, session);
    }

    /**
     * As {@link #markRead(UUID, UUID, UUID)}, from a device's socket: {@code origin}, its device id, is not told
     * of its own read. Throws MESSAGE_NOT_FOUND.
     */
    @Transactional
    public ReadState markRead(UUID caller, UUID messageId, String origin, UUID session) {
        MessageRef message = messages.locate(caller, messageId);
        boolean moved =
                receipts.advanceRead(message.conversationId(), caller, message.seq(), messageId, clock.instant());
        return state(message.conversationId(), caller, moved, origin, session);
    }

    /**
     * Marks the message and everything before it delivered to one of the caller's devices. Throws
     * MESSAGE_NOT_FOUND.
     */
    @Transactional
    public void markDelivered(UUID caller, UUID messageId) {
        MessageRef message = messages.locate(caller, messageId);
        receipts.advanceDelivered(message.conversationId(), caller, message.seq(), clock.instant())
                .ifPresent(moved -> announce(moved, message.conversationId(), null, null));
    }

    /** By the caller's {@code session} (null when unknown). Throws CONVERSATION_NOT_FOUND. */
    @Transactional
    public ReadState readAll(UUID caller, UUID conversationId, UUID session) {
        access.requireMember(conversationId, caller);
        boolean moved = receipts.readAll(conversationId, caller, clock.instant());
        return state(conversationId, caller, moved, null, session);
    }

    /**
     * Where each other participant stands for this message: {@code read} once their read watermark reached its
     * seq, {@code delivered} once their delivered one did, else {@code sent}. The times are when the watermark
     * last moved. Throws MESSAGE_NOT_FOUND.
     */
    public List<Receipt> receipts(UUID caller, UUID messageId) {
        MessageRef message = messages.locate(caller, messageId);
        return receipts.othersOf(message.conversationId(), message.senderId(), message.createdAt()).stream()
                .map(w -> {
                    boolean read = w.readSeq() >= message.seq();
                    boolean delivered = w.deliveredSeq() >= message.seq();
                    return new Receipt(
                            w.userId(),
                            delivered ? w.deliveredAt() : null,
                            read ? w.readAt() : null,
                            read ? "read" : delivered ? "delivered" : "sent");
                })
                .toList();
    }

    private ReadState state(UUID conversationId, UUID caller, boolean moved, String origin, UUID session) {
        ReceiptRepository.Watermarks now = receipts.of(conversationId, caller);
        if (moved) {
            announce(now, conversationId, origin, session);
        }
        return new ReadState(conversationId, now.readSeq(), receipts.unread(conversationId, caller));
    }

    private void announce(ReceiptRepository.Watermarks now, UUID conversationId, String origin, UUID session) {
        events.publishEvent(
                new ReceiptUpdated(conversationId, now.userId(), now.readSeq(), now.deliveredSeq(), origin, session));
    }
}
