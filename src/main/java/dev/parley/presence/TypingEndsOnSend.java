package dev.parley.presence;

import dev.parley.message.MessageSent;
import dev.parley.message.MessageType;
import dev.parley.message.MessageView;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sending a message ends the sender's typing state in that conversation, as clients expect. Off the send path: with
 * Redis, every send would otherwise wait for a round trip (before its ack, and before its fan-out when this listener
 * runs first); the {@code typing.indicator} that may follow goes out from a thread of its own, never from the Redis
 * client's I/O thread.
 */
@Component
class TypingEndsOnSend {

    private final TypingStore store;
    private final ApplicationEventPublisher events;
    private final Executor announcer = Executors.newVirtualThreadPerTaskExecutor();

    TypingEndsOnSend(TypingStore store, ApplicationEventPublisher events) {
        this.store = store;
        this.events = events;
    }

    @EventListener
    void on(MessageSent sent) {
        MessageView message = sent.message();
        if (message.type() == MessageType.SYSTEM) {
            return;
        }
        store.stopLater(message.conversationId(), message.senderId()).thenAccept(stopped -> {
            if (stopped) {
                // Every device of the sender hears of it, the sending one too (as before origins were carried).
                announcer.execute(() -> events.publishEvent(new TypingChanged(
                        message.conversationId(),
                        message.senderId(),
                        message.sender().username(),
                        false,
                        null)));
            }
        });
    }
}
