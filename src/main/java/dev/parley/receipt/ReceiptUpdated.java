package dev.parley.receipt;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.UUID;

/**
 * Published when a participant's read or delivered watermark moved forward; both carry their new values. It is
 * also the data of the {@code receipt.updated} frame and of its catch-up event, which never show the origin.
 *
 * @param origin the device whose socket frame ({@code message.read}) moved it, which has its answer and is not
 *               told; null otherwise
 * @param originSession the session (device) that moved it, when known: a read's {@code conversation.read} push
 *                      goes to the reader's other devices, not to a push device registered by this session
 */
public record ReceiptUpdated(
        UUID conversationId,
        UUID userId,
        long lastReadSeq,
        long lastDeliveredSeq,
        @JsonIgnore String origin,
        @JsonIgnore UUID originSession) {}
