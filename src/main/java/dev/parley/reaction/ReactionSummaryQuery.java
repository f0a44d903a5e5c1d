package dev.parley.reaction;

import dev.parley.message.MessageView;
import dev.parley.message.ReactionSummaries;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Supplies message objects with their reaction summaries: one query per page of messages. */
@Component
class ReactionSummaryQuery implements ReactionSummaries {

    private final ReactionRepository reactions;

    ReactionSummaryQuery(ReactionRepository reactions) {
        this.reactions = reactions;
    }

    @Override
    public Map<UUID, List<MessageView.ReactionSummary>> forMessages(Collection<UUID> messageIds, UUID viewer) {
        return messageIds.isEmpty() ? Map.of() : reactions.summaries(messageIds, viewer);
    }
}
