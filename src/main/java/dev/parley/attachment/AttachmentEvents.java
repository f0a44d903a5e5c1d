package dev.parley.attachment;

import dev.parley.storage.ObjectStorage;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Tells the other features that an image job ended, with everything they need to show it: the attachment as it
 * now is, URLs included, so no listener has to ask this feature again.
 */
@Component
class AttachmentEvents {

    private final ApplicationEventPublisher events;
    private final AttachmentViews views;

    AttachmentEvents(ApplicationEventPublisher events, ObjectStorage storage, AttachmentProperties properties) {
        this.events = events;
        this.views = new AttachmentViews(storage, properties);
    }

    /** Inside the transaction that completed or refused the attachment, so listeners write with it. */
    void processed(AttachmentRepository.Row row) {
        events.publishEvent(new AttachmentProcessed(row.messageId(), views.of(row)));
    }

    /** Inside the transaction that refused the image on image moderation's word. */
    void rejected(AttachmentRepository.Row row, List<String> labels) {
        processed(row);
        events.publishEvent(new AttachmentRejected(
                row.attachmentId(), row.uploaderId(), row.messageId(), row.conversationId(), labels));
    }
}
