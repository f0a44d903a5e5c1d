package dev.parley.push.providers;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.parley.eventlog.EventType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What a push says (the contract's payload): {@code message.new} with the message's place and, by the user's
 * preview setting, {@code title} and {@code body}; or the data-only {@code conversation.read}. {@code badge} is
 * the user's exact unread total over unmuted conversations when the push was queued.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PushPayload(
        String type, UUID conversationId, UUID messageId, Long seq, long badge, String title, String body) {

    public static final String MESSAGE_NEW = EventType.MESSAGE_NEW.wire();
    public static final String CONVERSATION_READ = "conversation.read";

    /** Data-only pushes wake the app to clear its notifications and show nothing themselves. */
    public boolean dataOnly() {
        return CONVERSATION_READ.equals(type);
    }

    /** Bursts collapse per conversation: the provider keeps only the newest push with the same id. */
    public String collapseId() {
        return conversationId.toString().replace("-", "");
    }

    /** The payload as flat string fields (FCM's {@code data} takes strings only). */
    public Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("type", type);
        fields.put("conversation_id", conversationId.toString());
        if (messageId != null) {
            fields.put("message_id", messageId.toString());
        }
        if (seq != null) {
            fields.put("seq", seq.toString());
        }
        fields.put("badge", Long.toString(badge));
        if (title != null) {
            fields.put("title", title);
        }
        if (body != null) {
            fields.put("body", body);
        }
        return fields;
    }
}
