package dev.parley.attachment.image;

import java.awt.color.CMMException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.WritableRaster;

/**
 * Embedded ICC colour profiles. The cleaned files carry no profile (foreign bytes, and a place to hide a payload),
 * so their pixels must be sRGB, or a wide-gamut image (a Display P3 photo or screenshot) shows other colours.
 * ImageIO's JPEG reader converts from the embedded profile itself; its PNG reader ignores iCCP, and the DC decoder
 * knows nothing of profiles: their output goes through here.
 */
final class ColorProfiles {

    /** A profile larger than this is ignored (real ones are a few kB; the JPEG format allows 16 MB). */
    static final int MAX_PROFILE_BYTES = 1 << 20;

    private ColorProfiles() {
    }

    /**
     * The image with its colours converted from {@code profile} to sRGB (alpha kept); the same image when there is
     * no profile, when it is not an RGB profile, or when the colour engine refuses it. Grey profiles are left alone:
     * Java has no grey profile with the sRGB curve to convert them to. 16-bit images come back with 8 bits.
     */
    static BufferedImage toSrgb(BufferedImage image, byte[] profile) {
        if (profile == null) {
            return image;
        }
        try {
            ICC_Profile source = ICC_Profile.getInstance(profile);
            if (source.getColorSpaceType() != ColorSpace.TYPE_RGB
                    || image.getColorModel().getNumColorComponents() != 3) {
                return image;
            }
            boolean alpha = image.getColorModel().hasAlpha();
            int type = image.getType();
            BufferedImage rgb = type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_3BYTE_BGR
                    || type == BufferedImage.TYPE_INT_ARGB
                    ? image
                    : Thumbnails.convert(image, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
            WritableRaster in = rgb.getRaster();
            WritableRaster out = in.createCompatibleWritableRaster();
            int w = in.getWidth();
            int h = in.getHeight();
            int[] colour = {0, 1, 2};
            new ColorConvertOp(new ICC_Profile[] {source, ICC_Profile.getInstance(ColorSpace.CS_sRGB)}, null)
                    .filter(in.createChild(0, 0, w, h, 0, 0, colour),
                            out.createWritableChild(0, 0, w, h, 0, 0, colour));
            if (alpha) {
                int[] row = new int[w];
                for (int y = 0; y < h; y++) {
                    out.setSamples(0, y, w, 1, 3, in.getSamples(0, y, w, 1, 3, row));
                }
            }
            return new BufferedImage(rgb.getColorModel(), out, false, null);
        } catch (IllegalArgumentException | CMMException e) {
            return image;
        }
    }
}
