package dev.parley.attachment;

import java.util.UUID;

/** Object keys are the server's choice, never a client's filename. */
final class Keys {

    private Keys() {
    }

    /** Where the untrusted upload waits until it has been checked and re-encoded. */
    static String quarantine(UUID id) {
        return "quarantine/" + id;
    }

    static String original(UUID id, String extension) {
        return "images/" + id + "." + extension;
    }

    static String thumbnail(UUID id, String extension) {
        return "thumbnails/" + id + "." + extension;
    }

    static String extension(String mimeType) {
        return switch (mimeType) {
            case "image/jpeg" -> "jpg";
            case "image/png" -> "png";
            case "image/webp" -> "webp";
            case "image/gif" -> "gif";
            default -> "bin";
        };
    }
}
