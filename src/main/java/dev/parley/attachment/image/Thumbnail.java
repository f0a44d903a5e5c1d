package dev.parley.attachment.image;

import java.nio.file.Path;

/**
 * A thumbnail file (JPEG, or PNG when the image has transparency) that fits the limits' box, with its BlurHash.
 * {@code sourceWidth} and {@code sourceHeight} are the oriented dimensions of the image it was made from.
 */
public record Thumbnail(Path file, String mimeType, int width, int height, String blurhash, int sourceWidth,
        int sourceHeight) {
}
