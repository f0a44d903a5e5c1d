package dev.parley.reaction;

import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.membership.MembershipService;
import dev.parley.message.MessageProperties;
import dev.parley.message.MessageReader;
import dev.parley.message.MessageRef;
import dev.parley.message.MessageView;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Emoji reactions: idempotent per (message, user, emoji), at most N distinct emoji per message. */
@Service
public class ReactionService {

    /** The reactions of a message after a change. */
    public record Reactions(UUID messageId, List<MessageView.ReactionSummary> reactions) {}

    private final ReactionRepository reactions;
    private final MessageReader messages;
    private final MembershipService access;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final int maxDistinct;

    ReactionService(
            ReactionRepository reactions,
            MessageReader messages,
            MembershipService access,
            ApplicationEventPublisher events,
            Clock clock,
            MessageProperties properties) {
        this.reactions = reactions;
        this.events = events;
        this.messages = messages;
        this.access = access;
        this.clock = clock;
        this.maxDistinct = properties.maxDistinctReactions();
    }

    /**
     * Throws VALIDATION_FAILED (not one emoji), MESSAGE_NOT_FOUND, CONFLICT (deleted message), USER_BLOCKED,
     * TOO_MANY_REACTIONS.
     */
    @Transactional
    public Reactions add(UUID caller, UUID messageId, String raw) {
        String emoji = requireEmoji(raw);
        MessageRef message = messages.locate(caller, messageId);
        if (message.deleted()) {
            throw new ParleyException(ErrorCode.CONFLICT, "The message was deleted");
        }
        if (access.requireMember(message.conversationId(), caller).blocked()) {
            throw new ParleyException(ErrorCode.USER_BLOCKED, "You cannot react in a conversation with a blocked user");
        }
        reactions.lockMessage(messageId);
        List<String> present = reactions.distinctEmoji(messageId);
        if (!present.contains(emoji) && present.size() >= maxDistinct) {
            throw new ParleyException(
                    ErrorCode.TOO_MANY_REACTIONS,
                    "A message can carry at most " + maxDistinct + " different emoji",
                    Map.of("limit", maxDistinct));
        }
        if (reactions.insert(messageId, message.conversationId(), caller, emoji, clock.instant())) {
            events.publishEvent(new ReactionAdded(message.conversationId(), messageId, caller, emoji));
        }
        return current(messageId, caller);
    }

    /** Idempotent. Throws VALIDATION_FAILED, MESSAGE_NOT_FOUND. */
    @Transactional
    public Reactions remove(UUID caller, UUID messageId, String raw) {
        String emoji = requireEmoji(raw);
        MessageRef message = messages.locate(caller, messageId);
        if (reactions.delete(messageId, caller, emoji)) {
            events.publishEvent(new ReactionRemoved(message.conversationId(), messageId, caller, emoji));
        }
        return current(messageId, caller);
    }

    private Reactions current(UUID messageId, UUID viewer) {
        return new Reactions(
                messageId, reactions.summaries(List.of(messageId), viewer).getOrDefault(messageId, List.of()));
    }

    private static String requireEmoji(String raw) {
        String emoji = Emoji.normalize(raw);
        if (!Emoji.isSingleEmoji(emoji)) {
            throw ParleyException.validation("emoji", "emoji must be exactly one emoji");
        }
        return emoji;
    }
}
