package dev.parley.attachment;

import dev.parley.attachment.image.ImageFormat;
import java.util.UUID;

/** Object keys are the server's choice, never a client's filename. */
final class Keys {

    private Keys() {}

    /** Every key under it holds untrusted bytes: the sweep and an S3 lifecycle rule clean it. */
    static final String QUARANTINE = "quarantine/";

    /** Where the client's signed PUT puts the untrusted upload. */
    static String quarantine(UUID id) {
        return QUARANTINE + id;
    }

    /**
     * Where {@code complete} moves the upload before checking it, and where it waits for processing: no URL was
     * ever signed for this key, so the bytes checked are the bytes processed.
     */
    static String checked(UUID id) {
        return QUARANTINE + id + ".checked";
    }

    /** The attachment a quarantine key belongs to, or null when the key is not one of ours. */
    static UUID ownerOfQuarantined(String key) {
        if (!key.startsWith(QUARANTINE)) {
            return null;
        }
        String rest = key.substring(QUARANTINE.length());
        if (rest.endsWith(".checked")) {
            rest = rest.substring(0, rest.length() - ".checked".length());
        }
        try {
            UUID id = UUID.fromString(rest);
            return id.toString().equals(rest) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String original(UUID id, ImageFormat format) {
        return "images/" + id + "." + format.extension();
    }

    /** Thumbnails are JPEG, or PNG when the image has transparency. */
    static String thumbnail(UUID id, ImageFormat format) {
        return "thumbnails/" + id + "." + format.extension();
    }
}
