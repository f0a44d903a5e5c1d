package dev.parley.attachment;

import dev.parley.storage.UploadGate;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The local store's question before a PUT: does the attachment still wait for these bytes? Only the key its
 * ticket signed, only while the upload is neither completed, refused nor removed, and only within an upload URL's
 * life of the ticket.
 */
@Component
class AttachmentUploadGate implements UploadGate {

    private final AttachmentRepository attachments;
    private final AttachmentProperties properties;
    private final Clock clock;

    AttachmentUploadGate(AttachmentRepository attachments, AttachmentProperties properties, Clock clock) {
        this.attachments = attachments;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public boolean accepts(String key) {
        UUID id = Keys.ownerOfQuarantined(key);
        return id != null
                && key.equals(Keys.quarantine(id))
                && attachments.awaitsBytes(id, clock.instant().minus(properties.uploadUrlTtl()));
    }
}
