package dev.parley.attachment;

import dev.parley.attachment.image.ImageFormat;
import java.util.UUID;

/** Object keys are the server's choice, never a client's filename. */
final class Keys {

    private Keys() {
    }

    /** Where the untrusted upload waits until it has been checked and re-encoded. */
    static String quarantine(UUID id) {
        return "quarantine/" + id;
    }

    static String original(UUID id, ImageFormat format) {
        return "images/" + id + "." + format.extension();
    }

    /** Thumbnails are JPEG, or PNG when the image has transparency. */
    static String thumbnail(UUID id, ImageFormat format) {
        return "thumbnails/" + id + "." + format.extension();
    }
}
