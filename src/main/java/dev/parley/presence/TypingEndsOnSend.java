package dev.parley.presence;

import dev.parley.message.MessageSent;
import dev.parley.message.MessageView;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Sending a message ends the sender's typing state in that conversation, as clients expect. */
@Component
class TypingEndsOnSend {

    private final TypingStore store;
    private final ApplicationEventPublisher events;

    TypingEndsOnSend(TypingStore store, ApplicationEventPublisher events) {
        this.store = store;
        this.events = events;
    }

    @EventListener
    void on(MessageSent sent) {
        MessageView message = sent.message();
        if ("system".equals(message.type())) {
            return;
        }
        if (store.stop(message.conversationId(), message.senderId())) {
            events.publishEvent(new TypingChanged(message.conversationId(), message.senderId(),
                    message.sender().username(), false));
        }
    }
}
