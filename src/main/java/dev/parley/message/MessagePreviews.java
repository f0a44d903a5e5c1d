package dev.parley.message;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Message objects for other features' lists (a conversation's newest message, sync's events), by key: the caller
 * has checked that the viewer may see them.
 */
public interface MessagePreviews {

    /** Identifies a message; its creation time lets the lookup skip the other months' partitions. */
    record PreviewKey(UUID messageId, Instant createdAt) {}

    /**
     * The messages as the viewer sees them (reactions, fresh image URLs), by id, in one query plus one for their
     * reactions; unknown ones are absent.
     */
    Map<UUID, MessageView> previews(List<PreviewKey> keys, UUID viewer);
}
