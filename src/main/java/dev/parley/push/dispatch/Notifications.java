package dev.parley.push.dispatch;

import dev.parley.conversation.UnreadCounts;
import dev.parley.encryption.ConversationEncryption;
import dev.parley.message.MessagePreviews;
import dev.parley.message.MessageType;
import dev.parley.message.MessageView;
import dev.parley.push.NotificationRequested;
import dev.parley.push.devices.DeviceService;
import dev.parley.push.devices.Previews;
import dev.parley.push.providers.PushPayload;
import dev.parley.push.providers.PushTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the rule's choices into payloads: the exact badge, and by each user's preview setting the title (group
 * name, or the sender's display name) and body (the first 100 characters of text, or "Photo"). Collected per
 * device and conversation, the last one winning, so a burst read in one batch queues one push per device.
 */
@Component
class Notifications {

    static final int BODY_LENGTH = 100;
    private static final UUID NOBODY = new UUID(0, 0);

    /** A message event to notify of, with where its row lives. */
    record Message(
            long eventId, UUID conversationId, UUID messageId, Instant createdAt, long seq, Set<UUID> recipients) {}

    /** A user who read a conversation to its end, from {@code session} (null when unknown). */
    record Read(UUID conversationId, UUID userId, UUID session) {}

    /** Something to tell, in log order: a message or a read. */
    record Item(Message message, Read read) {}

    /** What a batch queues, and the notifications it requested per message event. */
    record Built(List<PushQueue.Pending> pushes, Map<Long, List<NotificationRequested>> requested) {}

    private final MessagePreviews messages;
    private final UnreadCounts conversations;
    private final DeviceService devices;
    private final JsonMapper json;
    private final ConversationEncryption encryption;

    Notifications(
            MessagePreviews messages,
            UnreadCounts conversations,
            DeviceService devices,
            JsonMapper json,
            ConversationEncryption encryption) {
        this.messages = messages;
        this.conversations = conversations;
        this.devices = devices;
        this.json = json;
        this.encryption = encryption;
    }

    /**
     * The pushes of these items, and with {@code report} the notifications requested per message event (for the
     * subscribers, including recipients without devices). Without it, only users with a device count: nobody
     * else's badge, preview setting or message preview is fetched.
     */
    Built build(List<Item> items, boolean report) {
        Set<UUID> users = new HashSet<>();
        for (Item item : items) {
            if (item.message() != null) {
                users.addAll(item.message().recipients());
            } else {
                users.add(item.read().userId());
            }
        }
        Map<UUID, List<PushTarget>> targets = devices.targets(users);
        if (!report) {
            users.retainAll(targets.keySet());
            if (users.isEmpty()) {
                return new Built(List.of(), Map.of());
            }
        }
        List<MessagePreviews.PreviewKey> keys = new ArrayList<>();
        Set<UUID> conversationIds = new HashSet<>();
        for (Item item : items) {
            Message message = item.message();
            if (message != null && (report || !Collections.disjoint(message.recipients(), users))) {
                keys.add(new MessagePreviews.PreviewKey(message.messageId(), message.createdAt()));
                conversationIds.add(message.conversationId());
            }
        }
        Map<UUID, Long> badges = conversations.badges(users);
        Map<UUID, Previews> previews = devices.previews(users);
        Map<UUID, MessageView> views = keys.isEmpty() ? Map.of() : messages.previews(keys, NOBODY);
        Map<UUID, String> groups = conversations.groupNames(conversationIds);
        Map<String, PushQueue.Pending> pushes = new LinkedHashMap<>();
        Map<Long, List<NotificationRequested>> requested = new LinkedHashMap<>();
        for (Item item : items) {
            if (item.read() != null) {
                Read read = item.read();
                PushPayload payload = new PushPayload(
                        PushPayload.CONVERSATION_READ,
                        read.conversationId(),
                        null,
                        null,
                        badges.getOrDefault(read.userId(), 0L),
                        null,
                        null);
                // The reader's other devices: the one that read (its session registered it) knows already.
                List<PushTarget> others = targets.getOrDefault(read.userId(), List.of()).stream()
                        .filter(target ->
                                read.session() == null || !read.session().equals(target.session()))
                        .toList();
                queue(pushes, others, payload);
                continue;
            }
            Message message = item.message();
            if (!report && Collections.disjoint(message.recipients(), users)) {
                continue; // none of its recipients has a device, and nobody wants to hear of it
            }
            MessageView view = views.get(message.messageId());
            if (view == null || view.isDeleted()) {
                continue; // deleted before anyone was told: nothing to say
            }
            List<NotificationRequested> told = new ArrayList<>();
            // End-to-end encrypted: the server cannot read the text, and a ciphertext is no preview.
            boolean readable = !encryption.isEncrypted(message.conversationId());
            for (UUID user : message.recipients()) {
                if (!report && !users.contains(user)) {
                    continue;
                }
                Previews setting = previews.getOrDefault(user, Previews.FULL);
                String title = setting == Previews.NONE ? null : title(view, groups.get(message.conversationId()));
                String body = setting == Previews.FULL && readable ? body(view) : null;
                long badge = badges.getOrDefault(user, 0L);
                told.add(new NotificationRequested(
                        user, message.conversationId(), message.messageId(), badge, title, body));
                queue(
                        pushes,
                        targets.getOrDefault(user, List.of()),
                        new PushPayload(
                                PushPayload.MESSAGE_NEW,
                                message.conversationId(),
                                message.messageId(),
                                message.seq(),
                                badge,
                                title,
                                body));
            }
            requested.put(message.eventId(), told);
        }
        return new Built(List.copyOf(pushes.values()), requested);
    }

    private void queue(Map<String, PushQueue.Pending> pushes, Collection<PushTarget> targets, PushPayload payload) {
        String payloadJson = json.writeValueAsString(payload);
        for (PushTarget target : targets) {
            String key = payload.conversationId().toString();
            pushes.put(target.deviceId() + "/" + key, new PushQueue.Pending(target.deviceId(), key, payloadJson));
        }
    }

    private static String title(MessageView view, String groupName) {
        if (groupName != null && !groupName.isBlank()) {
            return groupName;
        }
        return view.sender() == null ? null : view.sender().displayName();
    }

    private static String body(MessageView view) {
        String content = view.content();
        if (content == null || content.isBlank()) {
            return view.type() == MessageType.IMAGE ? "Photo" : null;
        }
        int end = content.codePointCount(0, content.length()) <= BODY_LENGTH
                ? content.length()
                : content.offsetByCodePoints(0, BODY_LENGTH);
        return content.substring(0, end);
    }
}
