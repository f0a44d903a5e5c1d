package dev.parley.message;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reaction summaries for message objects. Implemented by the reaction feature, so messages can show reactions
 * without depending on it (reactions depend on messages for access checks).
 */
public interface ReactionSummaries {

    /** Summaries per message id, emoji in first-use order; messages without reactions may be absent. */
    Map<UUID, List<MessageView.ReactionSummary>> forMessages(Collection<UUID> messageIds, UUID viewer);
}
