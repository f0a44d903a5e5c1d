package dev.parley.attachment.image;

import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Downscaling for thumbnails: halve with bilinear filtering (which at exactly one half averages 2x2 pixels) while
 * the image is at least twice the target, then one bilinear step to the exact size. Every source pixel counts,
 * unlike one large nearest-neighbour or bilinear step, which skips most of them and shimmers.
 */
final class Thumbnails {

    private Thumbnails() {}

    /** A reduced decode for a thumbnail keeps at least this many times the thumbnail's size, then averages. */
    private static final int SUBSAMPLED_MARGIN = 3;

    /** Whether a JPEG's 1/8 scale (its DC coefficients) is still at least the size of its thumbnail. */
    static boolean fromDcCoefficients(int width, int height, int box) {
        Dimension target = fit(width, height, box);
        return (width + 7) / 8 >= target.width && (height + 7) / 8 >= target.height;
    }

    /** The source subsampling for a reduced decode: every n-th pixel, n at least 1. */
    static int subsampling(int width, int height, int box) {
        Dimension target = fit(width, height, box);
        return Math.max(
                1, Math.min(width / (SUBSAMPLED_MARGIN * target.width), height / (SUBSAMPLED_MARGIN * target.height)));
    }

    /** The size that fits {@code box} x {@code box} with the aspect kept; never larger than the image. */
    static Dimension fit(int width, int height, int box) {
        if (width <= box && height <= box) {
            return new Dimension(width, height);
        }
        double scale = Math.min((double) box / width, (double) box / height);
        return new Dimension(
                Math.max(1, (int) Math.round(width * scale)), Math.max(1, (int) Math.round(height * scale)));
    }

    /** The image scaled to {@code width} x {@code height}, as TYPE_INT_RGB, or TYPE_INT_ARGB when it has alpha. */
    static BufferedImage scale(BufferedImage src, int width, int height) {
        boolean alpha = src.getColorModel().hasAlpha();
        // Premultiplied alpha while filtering, so transparent pixels' colours do not bleed into their neighbours.
        int type = alpha ? BufferedImage.TYPE_INT_ARGB_PRE : BufferedImage.TYPE_INT_RGB;
        // The first step draws straight from the decoded image: no full-size copy in another pixel layout.
        BufferedImage current = src;
        while (current.getWidth() >= 2 * width && current.getHeight() >= 2 * height) {
            current = resize(current, current.getWidth() / 2, current.getHeight() / 2, type);
        }
        if (current.getWidth() != width || current.getHeight() != height || current.getType() != type) {
            current = resize(current, width, height, type);
        }
        return alpha ? convert(current, BufferedImage.TYPE_INT_ARGB) : current;
    }

    /** True when some pixel is not fully opaque. */
    static boolean hasTransparency(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return false;
        }
        int[] row = new int[image.getWidth()];
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, row.length, 1, row, 0, row.length);
            for (int argb : row) {
                if (argb >>> 24 != 0xff) {
                    return true;
                }
            }
        }
        return false;
    }

    private static BufferedImage resize(BufferedImage src, int width, int height, int type) {
        BufferedImage out = new BufferedImage(width, height, type);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    static BufferedImage convert(BufferedImage src, int type) {
        if (src.getType() == type) {
            return src;
        }
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), type);
        Graphics2D g = out.createGraphics();
        try {
            g.drawImage(src, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
