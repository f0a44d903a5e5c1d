package dev.parley.message;

import dev.parley.user.AccountErasure;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Every message a deleted account sent becomes a tombstone (content and metadata gone from the row, not hidden),
 * leaves the search index, and is told to the conversation as a deletion by its sender. Their images leave storage
 * in the attachment feature's step, which runs after this one.
 */
@Component
@Order(AccountErasure.MESSAGES)
class MessageErasure implements AccountErasure {

    private final ErasureRepository messages;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    MessageErasure(ErasureRepository messages, ApplicationEventPublisher events, Clock clock) {
        this.messages = messages;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public boolean eraseSome(UUID userId, int batch) {
        List<ErasureRepository.Erased> erased =
                messages.tombstoneSomeOf(userId, batch, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        for (ErasureRepository.Erased e : erased) {
            events.publishEvent(new MessageDeleted(e.conversationId(), e.messageId(), e.seq(), userId, userId));
        }
        return erased.size() < batch;
    }
}
