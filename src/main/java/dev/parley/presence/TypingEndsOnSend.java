package dev.parley.presence;

import dev.parley.message.MessageSent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Sending a message ends the sender's typing state in that conversation, as clients expect. */
@Component
class TypingEndsOnSend {

    private final TypingStore store;

    TypingEndsOnSend(TypingStore store) {
        this.store = store;
    }

    @EventListener
    void on(MessageSent sent) {
        store.stop(sent.message().conversationId(), sent.message().senderId());
    }
}
