package dev.parley.message;

import dev.parley.attachment.AttachmentService;
import dev.parley.common.ErrorCode;
import dev.parley.common.ParleyException;
import dev.parley.membership.MembershipService;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Editing and deleting messages. Each change commits with its catch-up log row, so both are transactional. */
@Service
public class MessageEditor {

    private final MessageRepository messages;
    private final MessageReader reader;
    private final MessageDrafts drafts;
    private final MembershipService access;
    private final AttachmentService attachments;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;

    MessageEditor(
            MessageRepository messages,
            MessageReader reader,
            MessageDrafts drafts,
            MembershipService access,
            AttachmentService attachments,
            ApplicationEventPublisher events,
            JsonMapper json) {
        this.messages = messages;
        this.reader = reader;
        this.drafts = drafts;
        this.access = access;
        this.attachments = attachments;
        this.events = events;
        this.json = json;
    }

    /**
     * Throws MESSAGE_NOT_FOUND, FORBIDDEN (not the sender, not text), CONFLICT (deleted), MESSAGE_TOO_LONG,
     * CONTENT_REJECTED. A moderation hook is asked inside the transaction, after the checks that keep outsiders
     * out; it holds the row's connection for at most the hook's timeout.
     */
    @Transactional
    public MessageView edit(UUID caller, UUID messageId, EditMessageRequest request) {
        var at = messages.positionFor(messageId, caller).orElseThrow(ParleyException::messageNotFound);
        if (!at.senderId().equals(caller) || at.type() == MessageType.SYSTEM) {
            throw ParleyException.forbidden("Only the sender can edit a message");
        }
        if (at.type() != MessageType.TEXT) {
            throw ParleyException.forbidden("Only text messages can be edited");
        }
        if (at.deleted()) {
            throw new ParleyException(ErrorCode.CONFLICT, "The message was deleted");
        }
        MessageDrafts.Body body = drafts.body(at.conversationId(), request.content(), request.metadata());
        String content =
                body.encrypted() ? body.content() : drafts.screened(caller, at.conversationId(), body.content(), true);
        ObjectNode checked = body.encrypted() ? body.metadata() : drafts.metadata(content);
        String metadata = json.writeValueAsString(checked);
        messages.edit(at, caller, content, metadata, drafts.now())
                .orElseThrow(() -> new ParleyException(ErrorCode.CONFLICT, "The message was deleted"));
        MessageView edited = reader.get(caller, messageId);
        events.publishEvent(new MessageEdited(edited.withReactions(List.of())));
        return edited;
    }

    /**
     * Leaves a tombstone in history. Allowed to the sender, and to a group's admins and owner for others'
     * messages. Deleting a deleted message is a no-op. Throws MESSAGE_NOT_FOUND, FORBIDDEN.
     */
    @Transactional
    public void delete(UUID caller, UUID messageId) {
        var at = messages.positionFor(messageId, caller).orElseThrow(ParleyException::messageNotFound);
        if (at.type() == MessageType.SYSTEM) {
            throw ParleyException.forbidden("System messages record the group's history and cannot be deleted");
        }
        boolean own = at.senderId().equals(caller);
        if (!own && !access.requireMember(at.conversationId(), caller).canModerate()) {
            throw ParleyException.forbidden("Only the sender or a group admin can delete this message");
        }
        if (at.deleted()) {
            return;
        }
        tombstone(at, caller);
    }

    /**
     * An administrator's delete: any message but a system one, whoever's conversation; a tombstone with
     * {@code deleted_by} the admin. The caller checked the role. Returns the message's conversation and sender, or
     * empty when it was already deleted. Throws MESSAGE_NOT_FOUND, FORBIDDEN (a system message).
     */
    @Transactional
    public Optional<MessageRef> deleteAsAdmin(UUID admin, UUID messageId) {
        var at = messages.position(messageId).orElseThrow(ParleyException::messageNotFound);
        if (at.type() == MessageType.SYSTEM) {
            throw ParleyException.forbidden("System messages record the group's history and cannot be deleted");
        }
        if (at.deleted() || !tombstone(at, admin)) {
            return Optional.empty();
        }
        return Optional.of(new MessageRef(
                at.messageId(), at.conversationId(), at.seq(), at.senderId(), at.type(), true, at.createdAt()));
    }

    private boolean tombstone(MessageRepository.Position at, UUID deletedBy) {
        if (!messages.markDeleted(at, deletedBy, drafts.now())) {
            return false;
        }
        if (at.type() == MessageType.IMAGE) {
            attachments.forgetMessage(at.messageId());
        }
        events.publishEvent(
                new MessageDeleted(at.conversationId(), at.messageId(), at.seq(), at.senderId(), deletedBy));
        return true;
    }
}
