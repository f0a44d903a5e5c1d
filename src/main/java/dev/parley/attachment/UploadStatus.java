package dev.parley.attachment;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where an upload stands: {@code uploading} (ticket issued, bytes awaited), {@code processing}, {@code completed}
 * {@code failed} (refused) or {@code rejected} (refused by image moderation, objects gone), as stored in {@code
 * message_attachments.upload_status}; and, in views only,
 * {@code deleted} for an image removed after it was accepted.
 */
public enum UploadStatus {
    UPLOADING,
    PROCESSING,
    COMPLETED,
    FAILED,
    REJECTED,
    DELETED;

    private final String wire = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String wire() {
        return wire;
    }

    static UploadStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
