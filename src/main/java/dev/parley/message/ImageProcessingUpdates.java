package dev.parley.message;

import dev.parley.attachment.AttachmentProcessed;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When an image finishes processing after its message was sent, the conversation hears of it as
 * {@link MessageImageUpdated}, with the thumbnail and URLs the attachment feature put in its event: one read of
 * the message, no call back. Runs inside the job's transaction, so the catch-up log records the update with the
 * attachment's new state.
 */
@Component
class ImageProcessingUpdates {

    private final MessageRepository messages;
    private final ImageMetadataMerge images;
    private final ApplicationEventPublisher events;

    ImageProcessingUpdates(MessageRepository messages, ImageMetadataMerge images, ApplicationEventPublisher events) {
        this.messages = messages;
        this.images = images;
        this.events = events;
    }

    @EventListener
    void on(AttachmentProcessed processed) {
        if (processed.messageId() == null) {
            return;
        }
        messages.view(processed.messageId())
                .filter(view -> !view.isDeleted())
                .flatMap(view -> images.withImage(view, processed.attachment()))
                .ifPresent(view -> events.publishEvent(new MessageImageUpdated(view)));
    }
}
