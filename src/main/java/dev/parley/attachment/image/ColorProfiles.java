package dev.parley.attachment.image;

import java.awt.color.CMMException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.WritableRaster;

/**
 * Embedded ICC colour profiles of JPEGs. The cleaned files carry no profile (foreign bytes, and a place to hide a
 * payload), so pixels must be sRGB. ImageIO's JPEG reader converts from the embedded profile itself; the DC
 * decoder does not, and its output goes through here, or a wide-gamut photo (Display P3 from a phone) would get a
 * thumbnail with other colours than its original.
 */
final class ColorProfiles {

    /** A profile larger than this is ignored (real ones are a few kB; the JPEG format allows 16 MB). */
    static final int MAX_PROFILE_BYTES = 1 << 20;

    private ColorProfiles() {
    }

    /**
     * The image with its pixels converted from {@code profile} to sRGB; the same image when there is no profile,
     * when it is not an RGB profile matching the image, or when the colour engine refuses it. Grey profiles are left
     * alone: Java has no grey profile with the sRGB curve to convert them to.
     */
    static BufferedImage toSrgb(BufferedImage image, byte[] profile) {
        if (profile == null) {
            return image;
        }
        try {
            ICC_Profile source = ICC_Profile.getInstance(profile);
            if (source.getColorSpaceType() != ColorSpace.TYPE_RGB || image.getColorModel().hasAlpha()) {
                return image;
            }
            BufferedImage rgb = image.getType() == BufferedImage.TYPE_INT_RGB
                    || image.getType() == BufferedImage.TYPE_3BYTE_BGR
                    ? image : Thumbnails.convert(image, BufferedImage.TYPE_INT_RGB);
            WritableRaster out = rgb.getRaster().createCompatibleWritableRaster();
            new ColorConvertOp(new ICC_Profile[] {source, ICC_Profile.getInstance(ColorSpace.CS_sRGB)}, null)
                    .filter(rgb.getRaster(), out);
            return new BufferedImage(rgb.getColorModel(), out, false, null);
        } catch (IllegalArgumentException | CMMException e) {
            return image;
        }
    }
}
