package dev.parley.push.dispatch;

import dev.parley.conversation.UnreadCounts;
import dev.parley.membership.MembershipService;
import dev.parley.presence.PresenceService;
import dev.parley.user.UserService;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The contract's rule of who is notified of a message: every active participant but the sender (membership)
 * who has not muted the conversation now (conversation: a mute's {@code until} honoured), has not blocked the
 * sender (user) and has no socket or event stream on any node that is not away (presence, shared through Redis
 * when several nodes run). Each owner answers its part; nothing here repeats their rules.
 */
@Component
class NotifyRule {

    /** A message to notify of: its log event id, conversation and sender. */
    record Message(long eventId, UUID conversationId, UUID senderId) {}

    private final MembershipService members;
    private final UnreadCounts conversations;
    private final UserService users;
    private final PresenceService presence;

    NotifyRule(MembershipService members, UnreadCounts conversations, UserService users, PresenceService presence) {
        this.members = members;
        this.conversations = conversations;
        this.users = users;
        this.presence = presence;
    }

    /**
     * For each message (by event id, in the given order), the users to notify; per batch, each fact asked once,
     * participants and mutes in one statement each for all the batch's conversations. Presence is asked first:
     * mutes and blocks are looked up only for the messages that still have someone offline (none, when everyone
     * is online, which is most messages of a busy service).
     */
    Map<Long, Set<UUID>> recipients(List<Message> messages) {
        // At most three statements per batch, whatever the number of conversations and senders in it.
        Set<UUID> conversationIds = new HashSet<>();
        for (Message message : messages) {
            conversationIds.add(message.conversationId());
        }
        Map<UUID, Set<UUID>> participants = members.activeParticipantIds(conversationIds);
        Set<UUID> everyone = new HashSet<>();
        participants.values().forEach(everyone::addAll);
        Set<UUID> live = presence.liveAmong(everyone);
        Map<Long, Set<UUID>> recipients = new LinkedHashMap<>();
        Set<UUID> stillConversations = new HashSet<>();
        Set<UUID> stillSenders = new HashSet<>();
        for (Message message : messages) {
            // Only those offline are copied: with everyone online (most messages), nothing is.
            Set<UUID> chosen = new HashSet<>();
            for (UUID participant : participants.getOrDefault(message.conversationId(), Set.of())) {
                if (!live.contains(participant) && !participant.equals(message.senderId())) {
                    chosen.add(participant);
                }
            }
            recipients.put(message.eventId(), chosen);
            if (!chosen.isEmpty()) {
                stillConversations.add(message.conversationId());
                stillSenders.add(message.senderId());
            }
        }
        if (stillConversations.isEmpty()) {
            return recipients;
        }
        Map<UUID, Set<UUID>> muted = conversations.mutedBy(stillConversations);
        Map<UUID, Set<UUID>> blockers = users.blockersOf(stillSenders);
        for (Message message : messages) {
            Set<UUID> chosen = recipients.get(message.eventId());
            chosen.removeAll(muted.getOrDefault(message.conversationId(), Set.of()));
            chosen.removeAll(blockers.getOrDefault(message.senderId(), Set.of()));
        }
        return recipients;
    }

    /**
     * Those reads that left the conversation read to its end ({@code lastReadSeq}, each receipt event's): the
     * watermark still stands there and nothing after it is unread. A read that a later one has overtaken is not
     * among them even when the conversation is read by the time its event is handled, so that two reads committed
     * before the consumer got to the first send one {@code conversation.read}, for the last. One statement a batch.
     */
    Set<UnreadCounts.ReadAt> readToEnd(Collection<UnreadCounts.ReadAt> reads) {
        return conversations.readToEnd(reads);
    }
}
