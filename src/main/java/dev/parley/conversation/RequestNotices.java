package dev.parley.conversation;

import dev.parley.contact.ContactPolicy;
import dev.parley.contact.ContactService;
import dev.parley.message.MessageSent;
import dev.parley.message.MessageType;
import dev.parley.message.MessageView;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Tells a recipient's devices that their requests folder changed ({@link RequestUpdated}, with its new counts): when
 * a request arrives, when someone writes into a request waiting for them, and when they answer one. Published
 * inside the change's transaction where there is one, so delivery sends it after the commit, or not at all.
 */
@Component
class RequestNotices {

    private final FolderRepository folders;
    private final ContactService contacts;
    private final ApplicationEventPublisher events;

    RequestNotices(FolderRepository folders, ContactService contacts, ApplicationEventPublisher events) {
        this.folders = folders;
        this.contacts = contacts;
        this.events = events;
    }

    /**
     * Published within this module when the requests folders of {@code userIds} changed because of
     * {@code conversationId}; heard at once, in the change's transaction, so the counts include the change.
     */
    record Changed(Collection<UUID> userIds, UUID conversationId) {

        Changed(UUID userId, UUID conversationId) {
            this(List.of(userId), conversationId);
        }
    }

    @EventListener
    void on(Changed change) {
        changed(change.userIds(), change.conversationId());
    }

    /** Each user's own notice with their own counts, all counted in one statement (a group's invitees, say). */
    private void changed(Collection<UUID> userIds, UUID conversationId) {
        if (userIds.isEmpty()) {
            return;
        }
        // Counted per distinct user, so each gets one notice however often a caller named them.
        Map<UUID, ConversationView.Requests> counts = folders.requests(userIds);
        counts.forEach((userId, requests) -> events.publishEvent(new RequestUpdated(userId, conversationId, requests)));
    }

    /**
     * A message into a conversation in which requests wait counts unread in their recipients' folders. System
     * messages never count unread, so they change no count; a user's send is published after its commit, so this
     * runs with no transaction and its notices go out at once. Asked under the policy {@code requests} only, so
     * that other deployments pay no query per send; requests left from a former {@code requests} policy are still
     * listed rightly, only not announced live.
     */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(MessageSent event) {
        MessageView message = event.message();
        if (message.type() == MessageType.SYSTEM || contacts.policy() != ContactPolicy.REQUESTS) {
            return;
        }
        changed(folders.waitingIn(message.conversationId(), message.senderId()), message.conversationId());
    }
}
