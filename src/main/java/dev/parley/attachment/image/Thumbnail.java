package dev.parley.attachment.image;

import java.nio.file.Path;

/** A thumbnail file (JPEG, or PNG when the image has transparency) that fits the limits' box, with its BlurHash. */
record Thumbnail(Path file, String mimeType, int width, int height, String blurhash) {}
