package dev.parley.message;

import dev.parley.attachment.AttachmentService;
import dev.parley.attachment.AttachmentView;
import dev.parley.attachment.ImageMetadata;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills image messages' metadata (brief 3.2) and attachment list from their attachments as they are now: signed URLs are minted per
 * read, so they are always fresh, never stored, and a removed image simply loses them. One query per page.
 */
@org.springframework.stereotype.Component
class ImageMetadataMerge {

    private final AttachmentService attachments;
    private final JsonMapper json;

    ImageMetadataMerge(AttachmentService attachments, JsonMapper json) {
        this.attachments = attachments;
        this.json = json;
    }

    List<MessageView> merge(List<MessageView> page) {
        Set<UUID> ids = new LinkedHashSet<>();
        for (MessageView view : page) {
            UUID id = attachmentId(view);
            if (id != null) {
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            return page;
        }
        Map<UUID, AttachmentView> found = attachments.views(ids);
        List<MessageView> out = new ArrayList<>(page.size());
        for (MessageView view : page) {
            UUID id = attachmentId(view);
            AttachmentView image = id == null ? null : found.get(id);
            out.add(image == null ? view : filled(view, image));
        }
        return out;
    }

    /** The image message with this attachment's state, or empty when the message is not that image's. */
    Optional<MessageView> withImage(MessageView view, AttachmentView image) {
        return image.attachmentId().equals(attachmentId(view)) ? Optional.of(filled(view, image)) : Optional.empty();
    }

    private MessageView filled(MessageView view, AttachmentView image) {
        ObjectNode metadata = ((ObjectNode) view.metadata()).deepCopy();
        metadata.setAll((ObjectNode) json.valueToTree(ImageMetadata.of(image)));
        // The contract's message also lists its attachments, as the upload flow's attachment objects.
        return view.withImage(metadata, List.of(image));
    }

    private static UUID attachmentId(MessageView view) {
        if (!"image".equals(view.type()) || view.isDeleted() || view.metadata() == null) {
            return null;
        }
        JsonNode id = view.metadata().get("attachment_id");
        if (id == null || !id.isString()) {
            return null;
        }
        try {
            return UUID.fromString(id.asString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
