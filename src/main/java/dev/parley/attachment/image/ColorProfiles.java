package dev.parley.attachment.image;

import java.awt.color.CMMException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.WritableRaster;

/**
 * 8-bit sRGB pixels from what a decoder gives. The cleaned files carry no profile (foreign bytes, and a place to
 * hide a payload), so their pixels must be sRGB, or a wide-gamut image (a Display P3 photo or screenshot) shows
 * other colours. ImageIO's JPEG reader converts from the embedded profile itself; its PNG reader ignores iCCP, and
 * the DC decoder knows nothing of profiles: their output goes through here. 16-bit samples become 8-bit ones
 * here too: nothing a chat shows needs more, and they cost twice the memory in every later step.
 */
final class ColorProfiles {

    /** A profile larger than this is ignored (real ones are a few kB; the JPEG format allows 16 MB). */
    static final int MAX_PROFILE_BYTES = 1 << 20;

    /** Rows converted at a time: the conversion's own buffer stays small whatever the image's size. */
    private static final int STRIP_ROWS = 128;

    private static final int[] COLOUR_BANDS = {0, 1, 2};

    private ColorProfiles() {}

    static BufferedImage toSrgb(BufferedImage image, byte[] profile) {
        return toSrgb(image, profile, Cancellation.NONE);
    }

    /**
     * The image with 8-bit samples and its colours converted from {@code profile} to sRGB (alpha kept). The same
     * image when it has 8-bit samples and no profile, a profile that is not RGB, or one the colour engine refuses.
     * Grey profiles are left alone: Java has no grey profile with the sRGB curve to convert them to. 16-bit images
     * come back with 8 bits, converted a row at a time into a new image; the colour conversion then works in place,
     * a strip of rows at a time, so no third copy of the pixels is ever made.
     */
    static BufferedImage toSrgb(BufferedImage image, byte[] profile, Cancellation cancel) {
        ICC_Profile source = rgbProfile(profile);
        boolean sixteen = image.getSampleModel().getDataType() == DataBuffer.TYPE_USHORT;
        if (source != null && image.getColorModel().getNumColorComponents() != 3) {
            source = null;
        }
        if (source == null && !sixteen) {
            return image;
        }
        BufferedImage rgb = sixteen ? eightBit(image, cancel) : convertible(image);
        // Nothing here needs the decoded pixels any more: with 16-bit ones, that is twice the memory of the rest.
        image = null;
        if (source != null) {
            try {
                convertInPlace(rgb, source, cancel);
            } catch (IllegalArgumentException | CMMException e) {
                // A profile the colour engine cannot use (it says so before the first strip): colours unchanged.
                return rgb;
            }
        }
        return rgb;
    }

    private static ICC_Profile rgbProfile(byte[] profile) {
        if (profile == null) {
            return null;
        }
        try {
            ICC_Profile source = ICC_Profile.getInstance(profile);
            return source.getColorSpaceType() == ColorSpace.TYPE_RGB ? source : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Layouts whose first three bands are red, green and blue in 8 bits: converted where they are. */
    private static BufferedImage convertible(BufferedImage image) {
        int type = image.getType();
        if (type == BufferedImage.TYPE_INT_RGB
                || type == BufferedImage.TYPE_INT_ARGB
                || type == BufferedImage.TYPE_3BYTE_BGR
                || type == BufferedImage.TYPE_4BYTE_ABGR) {
            return image;
        }
        return Thumbnails.convert(
                image, image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    }

    /**
     * 16-bit grey, grey and alpha, RGB or RGBA samples as TYPE_INT_RGB or TYPE_INT_ARGB, keeping the high byte of
     * each sample (what a browser shows). Reads one row at a time: the only large allocation is the result.
     */
    private static BufferedImage eightBit(BufferedImage image, Cancellation cancel) {
        WritableRaster raster = image.getRaster();
        int w = raster.getWidth();
        int h = raster.getHeight();
        int bands = raster.getNumBands();
        boolean alpha = image.getColorModel().hasAlpha();
        boolean grey = image.getColorModel().getNumColorComponents() == 1;
        BufferedImage out = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        // What PNG and most decoders make: samples interleaved in one short array, read straight from it.
        boolean interleaved = raster.getSampleModel() instanceof PixelInterleavedSampleModel
                && raster.getDataBuffer() instanceof DataBufferUShort
                && raster.getDataBuffer().getNumBanks() == 1
                && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0;
        PixelInterleavedSampleModel layout = interleaved ? (PixelInterleavedSampleModel) raster.getSampleModel() : null;
        short[] samples = interleaved ? ((DataBufferUShort) raster.getDataBuffer()).getData() : null;
        int[] row = new int[w * bands];
        int[] offsets = new int[bands];
        for (int band = 0; band < bands; band++) {
            offsets[band] = interleaved ? layout.getOffset(0, 0, band) : band;
        }
        int pixelStride = interleaved ? layout.getPixelStride() : bands;
        for (int y = 0; y < h; y++) {
            if ((y & 255) == 0) {
                cancel.check();
            }
            int start;
            if (interleaved) {
                start = y * layout.getScanlineStride() + raster.getDataBuffer().getOffset();
            } else {
                raster.getPixels(0, y, w, 1, row);
                start = 0;
            }
            for (int x = 0, i = start; x < w; x++, i += pixelStride) {
                int r = sample(samples, row, i + offsets[0]);
                int g = grey ? r : sample(samples, row, i + offsets[1]);
                int b = grey ? r : sample(samples, row, i + offsets[2]);
                int a = alpha ? sample(samples, row, i + offsets[bands - 1]) : 0xff;
                dst[y * w + x] = a << 24 | r << 16 | g << 8 | b;
            }
        }
        return out;
    }

    /** The high byte of a 16-bit sample: from the image's own array when there is one, else from a read row. */
    private static int sample(short[] samples, int[] row, int i) {
        return samples != null ? (samples[i] & 0xffff) >>> 8 : row[i] >>> 8;
    }

    /** Converts red, green and blue from {@code source} to sRGB a strip at a time, writing back in place. */
    private static void convertInPlace(BufferedImage image, ICC_Profile source, Cancellation cancel) {
        WritableRaster raster = image.getRaster();
        int w = raster.getWidth();
        int h = raster.getHeight();
        ColorConvertOp op = new ColorConvertOp(new ICC_Profile[] {source, SrgbHolder.SRGB}, null);
        WritableRaster converted = null;
        for (int y = 0; y < h; y += STRIP_ROWS) {
            cancel.check();
            int rows = Math.min(STRIP_ROWS, h - y);
            WritableRaster strip = raster.createWritableChild(0, y, w, rows, 0, 0, COLOUR_BANDS);
            if (converted == null || converted.getHeight() != rows) {
                converted = op.createCompatibleDestRaster(strip);
            }
            op.filter(strip, converted);
            strip.setRect(converted);
        }
    }

    /** Loaded on first use: building the sRGB profile costs a few milliseconds. */
    private static final class SrgbHolder {
        static final ICC_Profile SRGB = ICC_Profile.getInstance(ColorSpace.CS_sRGB);
    }
}
