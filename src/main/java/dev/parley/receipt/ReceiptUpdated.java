package dev.parley.receipt;

import java.util.UUID;

/** Published when a participant's read or delivered watermark moved forward; both carry their new values. */
public record ReceiptUpdated(UUID conversationId, UUID userId, long lastReadSeq, long lastDeliveredSeq) {
}
