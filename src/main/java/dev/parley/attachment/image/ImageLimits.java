package dev.parley.attachment.image;

/**
 * Limits of the image pipeline, all checked against the header before any decode, so an image that claims more
 * costs no memory: {@code maxPixels}, and {@code maxWorkingBytes}, the most heap one image may need while it is
 * processed (see {@link ImageInfo#workingBytes()}). {@code thumbnailSize} is the box a thumbnail fits in (both
 * sides).
 */
public record ImageLimits(long maxPixels, int thumbnailSize, long maxWorkingBytes) {

    public static final long DEFAULT_MAX_PIXELS = 40_000_000L;
    public static final int DEFAULT_THUMBNAIL_SIZE = 200;

    public ImageLimits {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be positive, was " + maxPixels);
        }
        if (thumbnailSize < 1) {
            throw new IllegalArgumentException("thumbnailSize must be positive, was " + thumbnailSize);
        }
        if (maxWorkingBytes < 1) {
            throw new IllegalArgumentException("maxWorkingBytes must be positive, was " + maxWorkingBytes);
        }
    }

    /** The defaults, with half the heap this JVM may grow to as the working-memory limit (as the server's). */
    public static ImageLimits defaults() {
        return new ImageLimits(
                DEFAULT_MAX_PIXELS, DEFAULT_THUMBNAIL_SIZE, Runtime.getRuntime().maxMemory() / 2);
    }
}
