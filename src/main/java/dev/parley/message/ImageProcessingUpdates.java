package dev.parley.message;

import dev.parley.attachment.AttachmentProcessed;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When an image finishes processing after its message was sent, the conversation hears of it as
 * {@code message.updated}, with the thumbnail and URLs. Runs inside the job's transaction, so the catch-up log
 * records the update with the attachment's new state.
 */
@Component
class ImageProcessingUpdates {

    private final MessageRepository messages;
    private final ImageMetadataMerge images;
    private final org.springframework.context.ApplicationEventPublisher events;

    ImageProcessingUpdates(MessageRepository messages, ImageMetadataMerge images,
            org.springframework.context.ApplicationEventPublisher events) {
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
                .map(view -> images.merge(List.of(view)).getFirst())
                .ifPresent(view -> events.publishEvent(new MessageEdited(view)));
    }
}
