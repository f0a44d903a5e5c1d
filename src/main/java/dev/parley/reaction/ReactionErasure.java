package dev.parley.reaction;

import dev.parley.user.AccountErasure;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** A deleted account's reactions, each removal told to the conversation as a user's own removal would be. */
@Component
@Order(AccountErasure.REACTIONS)
class ReactionErasure implements AccountErasure {

    private final ReactionRepository reactions;
    private final ApplicationEventPublisher events;

    ReactionErasure(ReactionRepository reactions, ApplicationEventPublisher events) {
        this.reactions = reactions;
        this.events = events;
    }

    @Override
    public boolean eraseSome(UUID userId, int batch) {
        List<ReactionRepository.Removed> removed = reactions.deleteSomeOf(userId, batch);
        for (ReactionRepository.Removed r : removed) {
            events.publishEvent(new ReactionRemoved(r.conversationId(), r.messageId(), userId, r.emoji()));
        }
        return removed.size() < batch;
    }
}
