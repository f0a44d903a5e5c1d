package dev.parley.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/**
 * Published after a message became a tombstone; {@code seq} is the deleted message's own. {@code expired}: a
 * disappearing message whose time ran out (then it is gone from history altogether, and {@code deletedBy} is
 * null); on the wire only when true.
 */
public record MessageDeleted(
        UUID conversationId,
        UUID messageId,
        long seq,
        UUID senderId,
        UUID deletedBy,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean expired) {

    public MessageDeleted(UUID conversationId, UUID messageId, long seq, UUID senderId, UUID deletedBy) {
        this(conversationId, messageId, seq, senderId, deletedBy, false);
    }
}
