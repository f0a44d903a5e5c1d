package dev.parley.conversation;

import dev.parley.audit.AuditAction;
import dev.parley.audit.AuditEntry;
import dev.parley.audit.AuditLog;
import dev.parley.audit.AuditTargetType;
import dev.parley.common.ParleyException;
import dev.parley.membership.Membership;
import dev.parley.membership.MembershipService;
import dev.parley.message.SystemMessages;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A conversation's disappearing-messages timer: in a direct conversation either participant sets it, in a group an
 * admin or the owner. The change is told as a {@code message_ttl_changed} system message; messages sent after it
 * carry {@code expires_at} (the send statement reads the timer under the conversation's lock), and the expiry sweep
 * of the message feature removes them once it has passed.
 */
@Service
public class DisappearingMessages {

    public static final int MIN_TTL_SECONDS = 30;
    public static final int MAX_TTL_SECONDS = 31_536_000;

    private final ConversationRepository conversations;
    private final MembershipService access;
    private final SystemMessages systemMessages;
    private final ApplicationEventPublisher events;
    private final AuditLog audit;
    private final Clock clock;

    DisappearingMessages(
            ConversationRepository conversations,
            MembershipService access,
            SystemMessages systemMessages,
            ApplicationEventPublisher events,
            AuditLog audit,
            Clock clock) {
        this.conversations = conversations;
        this.access = access;
        this.systemMessages = systemMessages;
        this.events = events;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Sets the timer ({@code seconds} null: off). Setting the value it has already changes nothing and writes no
     * system message. Throws CONVERSATION_NOT_FOUND, FORBIDDEN (a group member who is no admin),
     * VALIDATION_FAILED (out of range).
     */
    @Transactional
    public void set(UUID caller, UUID conversationId, Integer seconds) {
        if (seconds != null && (seconds < MIN_TTL_SECONDS || seconds > MAX_TTL_SECONDS)) {
            throw ParleyException.validation(
                    "message_ttl_seconds",
                    "message_ttl_seconds must be null or " + MIN_TTL_SECONDS + " to " + MAX_TTL_SECONDS);
        }
        Membership me = access.requireMember(conversationId, caller);
        if (me.isGroup() && !LockedGroup.lock(conversations, me).callerModerates()) {
            throw ParleyException.forbidden("Only a group's admins and owner can change disappearing messages");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        if (!conversations.setMessageTtl(conversationId, seconds, now)) {
            return;
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("message_ttl_seconds", seconds);
        String name = me.member().displayName();
        systemMessages.post(
                conversationId,
                me.member(),
                seconds == null
                        ? name + " turned off disappearing messages"
                        : name + " set messages to disappear after " + describe(seconds),
                ConversationService.systemMetadata("message_ttl_changed", caller, null, extra));
        ConversationRepository.Row row =
                conversations.row(conversationId, caller).orElseThrow(ParleyException::conversationNotFound);
        events.publishEvent(new ConversationUpdated(conversationId, row.name(), row.photoUrl(), caller, now, seconds));
        audit.record(AuditEntry.by(caller, AuditAction.MESSAGE_TTL_CHANGED)
                .target(AuditTargetType.CONVERSATION, conversationId)
                .detail("message_ttl_seconds", seconds == null ? "off" : seconds));
    }

    /** "30 seconds", "1 day", "2 hours 30 minutes" for the system message. */
    static String describe(int seconds) {
        StringBuilder out = new StringBuilder();
        int[] sizes = {86_400, 3_600, 60, 1};
        String[] names = {"day", "hour", "minute", "second"};
        int left = seconds;
        for (int i = 0; i < sizes.length; i++) {
            int n = left / sizes[i];
            left %= sizes[i];
            if (n > 0) {
                out.append(out.isEmpty() ? "" : " ")
                        .append(n)
                        .append(' ')
                        .append(names[i])
                        .append(n == 1 ? "" : "s");
            }
        }
        return out.toString();
    }
}
