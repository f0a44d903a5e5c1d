package dev.parley.attachment.image;

import java.nio.file.Path;

/**
 * The result of {@link ImagePipeline#process}: a cleaned original (same format, metadata and trailing bytes gone;
 * upright, or for a JPEG whose pixels are kept as stored, with the orientation as its only tag) and its thumbnail
 * (upright), both files in the caller's work directory. {@code width} and {@code height} are as displayed;
 * {@code originalSize} is the cleaned file's size in bytes.
 */
public record ProcessedImage(
        ImageFormat format,
        Path original,
        long originalSize,
        int width,
        int height,
        Path thumbnail,
        String thumbnailMimeType,
        int thumbnailWidth,
        int thumbnailHeight,
        String blurhash) {}
