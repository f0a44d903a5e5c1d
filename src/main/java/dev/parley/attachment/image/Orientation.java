package dev.parley.attachment.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/** Turns a decoded image upright according to its EXIF orientation (1 to 8, as in the TIFF/EXIF specification). */
final class Orientation {

    private Orientation() {}

    /** Orientations 5 to 8 exchange width and height. */
    static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /**
     * The upright image: a new image for orientations 2 to 8, the same one for 1. The stored pixel (x, y) lands at
     * the position the orientation names; every pixel is copied exactly (no resampling).
     */
    static BufferedImage apply(BufferedImage src, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        boolean swap = swapsAxes(orientation);
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int type = src.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        // Converted by drawing, not getRGB: getRGB treats 8-bit grey as linear light and would brighten it.
        int[] pixels =
                ((DataBufferInt) Thumbnails.convert(src, type).getRaster().getDataBuffer()).getData();
        // The decoded image may go while the turned one is made: a copy less at the job's peak.
        src = null;
        BufferedImage out = new BufferedImage(ow, oh, type);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int tx;
                int ty;
                switch (orientation) {
                    case 2 -> {
                        tx = w - 1 - x;
                        ty = y;
                    }
                    case 3 -> {
                        tx = w - 1 - x;
                        ty = h - 1 - y;
                    }
                    case 4 -> {
                        tx = x;
                        ty = h - 1 - y;
                    }
                    case 5 -> {
                        tx = y;
                        ty = x;
                    }
                    case 6 -> {
                        tx = h - 1 - y;
                        ty = x;
                    }
                    case 7 -> {
                        tx = h - 1 - y;
                        ty = w - 1 - x;
                    }
                    default -> {
                        tx = y;
                        ty = w - 1 - x;
                    } // 8
                }
                dst[ty * ow + tx] = pixels[y * w + x];
            }
        }
        return out;
    }
}
