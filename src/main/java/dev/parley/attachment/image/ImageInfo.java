package dev.parley.attachment.image;

/**
 * What the header says: the format (matching the declared one), the dimensions as displayed, and the heap that
 * processing it would need at its peak ({@code workingBytes}, an upper bound computed from the header).
 */
public record ImageInfo(ImageFormat format, int width, int height, long workingBytes) {

    public long pixels() {
        return (long) width * height;
    }
}
