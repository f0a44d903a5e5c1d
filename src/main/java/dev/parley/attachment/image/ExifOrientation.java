package dev.parley.attachment.image;

/**
 * Reads the orientation tag (0x0112) from the IFD0 of a JPEG's APP1 Exif segment. Anything malformed reads as 1
 * (as stored): orientation is a display hint, never a reason to refuse an image.
 */
final class ExifOrientation {

    private static final int ORIENTATION_TAG = 0x0112;

    private ExifOrientation() {}

    /** @param app1 the segment's payload after its length field */
    static int parse(byte[] app1) {
        if (app1.length < 14 || !ByteReads.ascii(app1, 0, 6).equals("Exif\0\0")) {
            return 1;
        }
        int tiff = 6;
        boolean little;
        if (app1[tiff] == 'I' && app1[tiff + 1] == 'I') {
            little = true;
        } else if (app1[tiff] == 'M' && app1[tiff + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        if (u16(app1, tiff + 2, little) != 42) {
            return 1;
        }
        long ifd = tiff + (u32(app1, tiff + 4, little) & 0xffffffffL);
        if (ifd + 2 > app1.length) {
            return 1;
        }
        int entries = u16(app1, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            int entry = (int) ifd + 2 + i * 12;
            if (entry + 12 > app1.length) {
                return 1;
            }
            if (u16(app1, entry, little) == ORIENTATION_TAG) {
                int type = u16(app1, entry + 2, little);
                int value = type == 3 ? u16(app1, entry + 8, little) : type == 4 ? u32(app1, entry + 8, little) : 1;
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] b, int i, boolean little) {
        return little ? ByteReads.le16(b, i) : ByteReads.be16(b, i);
    }

    private static int u32(byte[] b, int i, boolean little) {
        return little ? ByteReads.le32(b, i) : ByteReads.be32(b, i);
    }
}
