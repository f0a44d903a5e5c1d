package dev.parley.webhook;

import dev.parley.eventlog.EventType;
import dev.parley.message.MessageEventData;
import dev.parley.message.MessagePreviews;
import dev.parley.message.MessageView;
import dev.parley.push.LogEvent;
import dev.parley.push.LogSubscriber;
import dev.parley.push.NotificationRequested;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.RawValue;

/**
 * Turns each batch of the catch-up log (read by push's notify consumer) into one webhook delivery, in log order,
 * in the consumer's transaction: every event with the socket frame's {@code type} and {@code data} plus
 * {@code event_id} and {@code created_at} (a message's data: {@code conversation_id} and {@code message}, as on the
 * socket), and after each user message the {@code notification.requested}
 * entries the notify rule chose. Messages are read as they are now, like sync does, except a new message this node
 * sent a moment ago and nothing has changed since ({@link SentMessages}), which is taken as it was announced.
 */
@Component
class WebhookRecorder implements LogSubscriber {

    private static final UUID NOBODY = new UUID(0, 0);

    private static final String MESSAGE_NEW = EventType.MESSAGE_NEW.wire();
    private static final Set<String> MESSAGE_TYPES =
            Set.of(EventType.MESSAGE_NEW.wire(), EventType.MESSAGE_UPDATED.wire());

    private final WebhookProperties properties;
    private final WebhookRepository deliveries;
    private final MessagePreviews messages;
    private final SentMessages justSent;
    private final JsonMapper json;
    private final Clock clock;

    WebhookRecorder(
            WebhookProperties properties,
            WebhookRepository deliveries,
            MessagePreviews messages,
            SentMessages justSent,
            JsonMapper json,
            Clock clock) {
        this.properties = properties;
        this.deliveries = deliveries;
        this.messages = messages;
        this.justSent = justSent;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public boolean active() {
        return properties.enabled();
    }

    @Override
    public void accept(List<LogEvent> events, Map<Long, List<NotificationRequested>> notifications) {
        if (events.isEmpty()) {
            return;
        }
        // A new message sent on this node a moment ago, unchanged since, is taken as it was announced; the rest
        // (edits, and messages sent elsewhere or changed since) are read as they are now.
        Map<UUID, MessageView> announced = new HashMap<>();
        List<MessagePreviews.PreviewKey> keys = new ArrayList<>();
        for (LogEvent event : events) {
            if (MESSAGE_TYPES.contains(event.type()) && event.messageId() != null && event.messageCreatedAt() != null) {
                MessageView sent = event.type().equals(MESSAGE_NEW) ? justSent.take(event.messageId()) : null;
                if (sent != null) {
                    announced.put(event.messageId(), sent);
                } else {
                    keys.add(new MessagePreviews.PreviewKey(event.messageId(), event.messageCreatedAt()));
                }
            }
        }
        Map<UUID, MessageView> current = keys.isEmpty() ? Map.of() : messages.previews(keys, NOBODY);
        List<Map<String, Object>> out = new ArrayList<>();
        for (LogEvent event : events) {
            // Other events go out as the log stored them (JSON PostgreSQL wrote), not parsed and written again.
            Object payload;
            if (MESSAGE_TYPES.contains(event.type())) {
                MessageView message = event.type().equals(MESSAGE_NEW)
                        ? announced.getOrDefault(event.messageId(), current.get(event.messageId()))
                        : current.get(event.messageId());
                if (message == null) {
                    continue; // the message's partition was dropped: nothing left to say, as in sync
                }
                payload = new MessageEventData(event.conversationId(), message);
            } else {
                payload = new RawValue(event.data());
            }
            out.add(entry(Long.toString(event.eventId()), event.type(), event.createdAt(), payload));
            for (NotificationRequested requested : notifications.getOrDefault(event.eventId(), List.of())) {
                out.add(entry(null, NotificationRequested.TYPE, event.createdAt(), requested));
            }
        }
        if (!out.isEmpty()) {
            deliveries.insert(
                    UUID.randomUUID(), json.writeValueAsString(Map.of("events", out)), out.size(), clock.instant());
        }
    }

    private static Map<String, Object> entry(String eventId, String type, Instant createdAt, Object data) {
        Map<String, Object> entry = new LinkedHashMap<>();
        if (eventId != null) {
            entry.put("event_id", eventId);
        }
        entry.put("type", type);
        entry.put("created_at", createdAt);
        entry.put("data", data);
        return entry;
    }
}
