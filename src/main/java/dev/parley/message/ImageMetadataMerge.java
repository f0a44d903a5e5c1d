package dev.parley.message;

import dev.parley.attachment.AttachmentService;
import dev.parley.attachment.AttachmentView;
import dev.parley.attachment.ImageMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills image messages' metadata (docs/api.md, Objects) and attachment list from their attachments as they are
 * now: signed URLs are minted per read, so they are always fresh, never stored, and a removed image simply loses
 * them. The message and its attachment are linked once, by the attachment's {@code message_id}; the metadata's
 * {@code attachment_id} is built here from it, not stored. One query per page.
 */
@Component
class ImageMetadataMerge {

    private final AttachmentService attachments;
    private final JsonMapper json;

    ImageMetadataMerge(AttachmentService attachments, JsonMapper json) {
        this.attachments = attachments;
        this.json = json;
    }

    List<MessageView> merge(List<MessageView> page) {
        List<UUID> images = page.stream()
                .filter(ImageMetadataMerge::showsImage)
                .map(MessageView::messageId)
                .toList();
        if (images.isEmpty()) {
            return page;
        }
        Map<UUID, AttachmentView> found = attachments.forMessages(images);
        List<MessageView> out = new ArrayList<>(page.size());
        for (MessageView view : page) {
            AttachmentView image = showsImage(view) ? found.get(view.messageId()) : null;
            out.add(image == null ? view : filled(view, image));
        }
        return out;
    }

    /**
     * The image message with this attachment's state, or empty for a message that shows no image (a tombstone).
     * The caller took the message id from the attachment's row, the one link between the two.
     */
    Optional<MessageView> withImage(MessageView view, AttachmentView image) {
        return showsImage(view) ? Optional.of(filled(view, image)) : Optional.empty();
    }

    private MessageView filled(MessageView view, AttachmentView image) {
        ObjectNode metadata = ((ObjectNode) view.metadata()).deepCopy();
        metadata.setAll((ObjectNode) json.valueToTree(ImageMetadata.of(image)));
        // The contract's message also lists its attachments, as the upload flow's attachment objects.
        return view.withImage(metadata, List.of(image));
    }

    /** A live image message: tombstones show no image. */
    private static boolean showsImage(MessageView view) {
        return view.type() == MessageType.IMAGE && !view.isDeleted() && view.metadata() instanceof ObjectNode;
    }
}
