package dev.parley.screening;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Checks a processed image before it is published: AWS Rekognition ({@code parley.moderation.image.provider=
 * rekognition}) or nothing ({@code none}, the default). A provider outage throws {@link Unavailable}; the image
 * job retries, and on its last attempt publishes the image only when the operator chose {@code on-failure: allow}
 * ({@link #failOpen()}).
 */
public interface ImageModeration {

    /** The image to check: the cleaned original and its thumbnail (for a provider's size limit), as files. */
    record Image(
            UUID attachmentId, UUID uploaderId, Path original, long originalSize, Path thumbnail, String mimeType) {}

    /** {@code flagged} with the provider's labels (names only), or allowed. */
    record Verdict(boolean flagged, List<String> labels) {

        public static final Verdict ALLOW = new Verdict(false, List.of());
    }

    /** The provider could not be asked (down, throttled, timed out). */
    final class Unavailable extends RuntimeException {

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    Verdict check(Image image);

    /** Whether an image is published when the provider stays unavailable through every retry. */
    boolean failOpen();

    /** Whether images are checked at all. */
    boolean enabled();
}
