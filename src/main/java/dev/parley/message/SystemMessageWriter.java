package dev.parley.message;

import dev.parley.common.ChatMetrics;
import dev.parley.common.Ids;
import dev.parley.user.UserView;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Stores and announces the system messages the conversation feature posts ({@link SystemMessages}). */
@Component
class SystemMessageWriter implements SystemMessages {

    private final MessageRepository messages;
    private final ApplicationEventPublisher events;
    private final ChatMetrics metrics;
    private final JsonMapper json;
    private final Clock clock;

    SystemMessageWriter(
            MessageRepository messages,
            ApplicationEventPublisher events,
            ChatMetrics metrics,
            JsonMapper json,
            Clock clock) {
        this.messages = messages;
        this.events = events;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public MessageView post(UUID conversationId, UserView actor, String content, Map<String, Object> metadata) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        UUID id = Ids.uuidV7(now.toEpochMilli());
        ObjectNode meta = json.valueToTree(metadata);
        var stored =
                messages.insertSystem(id, conversationId, actor.userId(), content, json.writeValueAsString(meta), now);
        metrics.messageSent(MessageType.SYSTEM.wire());
        MessageView view = MessageView.builder()
                .messageId(id)
                .conversationId(conversationId)
                .seq(stored.seq())
                .sender(actor)
                .type(MessageType.SYSTEM)
                .content(content)
                .metadata(meta)
                .createdAt(stored.createdAt())
                .build();
        // No origin: a system message answers no device's frame, so every device hears of it.
        events.publishEvent(new MessageSent(view, null));
        return view;
    }
}
