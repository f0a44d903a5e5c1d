package dev.parley.attachment.image;

/** What the header says: the format (matching the declared one) and the stored dimensions. */
public record ImageInfo(ImageFormat format, int width, int height) {

    public long pixels() {
        return (long) width * height;
    }
}
