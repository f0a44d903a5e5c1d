package dev.parley.attachment.image;

import static dev.parley.attachment.image.ByteReads.ascii;
import static dev.parley.attachment.image.ByteReads.be16;
import static dev.parley.attachment.image.ByteReads.be32;
import static dev.parley.attachment.image.ByteReads.le16;
import static dev.parley.attachment.image.ByteReads.le24;
import static dev.parley.attachment.image.ByteReads.le32;
import static dev.parley.attachment.image.ByteReads.readExactly;
import static dev.parley.attachment.image.ByteReads.requireLength;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads the magic number and dimensions of an image from its first bytes, never decoding pixels, so a
 * decompression bomb is refused before it costs memory. Each reader consumes a few hundred bytes at most (JPEG:
 * the segments before the frame header, each at most 64 KiB).
 */
final class ImageHeaders {

    /**
     * Header facts: stored dimensions, for JPEG the EXIF orientation (1 when absent), for JPEG and PNG the embedded
     * ICC profile (null when absent), and the samples a decoder makes of each pixel: {@code channels} of
     * {@code bitsPerSample} bits (a palette or a GIF: 1 of 8).
     */
    record Header(
            ImageFormat format,
            int storedWidth,
            int storedHeight,
            int orientation,
            byte[] iccProfile,
            int channels,
            int bitsPerSample) {

        /** Dimensions as displayed (EXIF orientations 5 to 8 turn the image a quarter), for thumbnails of this box. */
        ImageInfo info(int thumbnailBox) {
            return Orientation.swapsAxes(orientation)
                    ? new ImageInfo(format, storedHeight, storedWidth, workingBytes(thumbnailBox))
                    : new ImageInfo(format, storedWidth, storedHeight, workingBytes(thumbnailBox));
        }

        /**
         * The heap {@link ImagePipeline#process} needs at its peak, in bytes per pixel times the pixels: the decoded
         * image, the copies its steps make while the decoded one is still held (a rotation for an EXIF orientation,
         * 8-bit sRGB pixels from 16-bit or profiled ones, a CMYK JPEG's CMYK raster beside its RGB one, a GIF frame
         * on its screen, a WebP decoder's own buffer), one byte a pixel for the first thumbnail step, and one for
         * the decoders' and encoders' row buffers. An upper bound, measured against the costliest case in
         * docs/benchmarks.md; the budget and the refusal of images too costly to process are based on it.
         */
        long workingBytes(int thumbnailBox) {
            if (format == ImageFormat.JPEG && channels != 4) {
                return reducedJpegBytes(thumbnailBox);
            }
            int decoded = channels * Math.max(1, bitsPerSample / 8);
            int perPixel = switch (format) {
                // A CMYK JPEG: its CMYK raster beside the RGB one, or, turning it upright, two 4-byte copies.
                case JPEG -> Math.max(4 + 3, orientation == 1 ? 0 : 4 + 4);
                case PNG -> decoded + (bitsPerSample == 16 || iccProfile != null ? 4 : 0);
                case GIF -> 1 + 4;
                case WEBP -> 4 + 4;
            };
            return (long) storedWidth * storedHeight * (perPixel + 2);
        }

        /**
         * Any other JPEG is never decoded whole. At 1/8 scale: the DC decoder's component planes, the image, and
         * the two copies turning it upright makes, 16 bytes per 8x8 block. Where that decoder leaves the file to
         * ImageIO: the subsampled decode with the copies a whole one would make. The larger, since the second may
         * follow the first; and the ICC profile, read and scrubbed.
         */
        private long reducedJpegBytes(int thumbnailBox) {
            long blocks = (long) ((storedWidth + 7) / 8) * ((storedHeight + 7) / 8);
            int n = Thumbnails.subsampling(storedWidth, storedHeight, thumbnailBox);
            long kept = (long) ((storedWidth + n - 1) / n) * ((storedHeight + n - 1) / n);
            int perPixel = Math.max(channels, orientation == 1 ? 0 : 4 + 4) + 2;
            return Math.max(blocks * 16, kept * perPixel) + (iccProfile == null ? 0 : 2L * iccProfile.length);
        }
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private ImageHeaders() {}

    /**
     * The header of {@code file}, which must be of the {@code declared} format and hold at most {@code maxPixels}.
     *
     * @throws InvalidImageException when it is another type, not an image, truncated or too large
     */
    static Header read(Path file, ImageFormat declared, ImageLimits limits) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 8192))) {
            in.mark(16);
            ImageFormat actual = sniff(in.readNBytes(12));
            in.reset();
            if (actual == null) {
                throw new InvalidImageException("The file is not a " + describe(declared) + " image.");
            }
            if (actual != declared) {
                throw new InvalidImageException(
                        "The file is a " + describe(actual) + " image, not the declared " + declared.mimeType() + ".");
            }
            Header header = switch (declared) {
                case PNG -> png(in);
                case GIF -> gif(in);
                case WEBP -> webp(in);
                case JPEG -> jpeg(in);
            };
            checkDimensions(header.storedWidth(), header.storedHeight(), limits.maxPixels());
            checkWorkingMemory(header, limits);
            return header;
        } catch (EOFException e) {
            throw new InvalidImageException("The " + describe(declared) + " file is truncated.", e);
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the uploaded file", e);
        }
    }

    static void checkDimensions(long width, long height, long maxPixels) {
        if (width < 1 || height < 1) {
            throw new InvalidImageException("The image has no pixels (" + width + "x" + height + ").");
        }
        if (width * height > maxPixels) {
            throw new InvalidImageException(
                    "The image is " + width + "x" + height + " pixels; at most " + maxPixels + " pixels are allowed.");
        }
    }

    /** An image whose processing alone needs more than the whole budget would wait for it forever. */
    static void checkWorkingMemory(Header header, ImageLimits limits) {
        long maxWorkingBytes = limits.maxWorkingBytes();
        long needed = header.workingBytes(limits.thumbnailSize());
        if (needed > maxWorkingBytes) {
            throw new InvalidImageException("The image (" + header.storedWidth() + "x" + header.storedHeight() + ", "
                    + header.channels() + " channels of " + header.bitsPerSample() + " bits) would need about "
                    + mebibytes(needed) + " MB of memory to process; this server processes images of up to "
                    + mebibytes(maxWorkingBytes) + " MB.");
        }
    }

    private static long mebibytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    static String describe(ImageFormat format) {
        return format == ImageFormat.WEBP ? "WebP" : format.name();
    }

    /** The format a file's first bytes announce, or null. */
    static ImageFormat sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return ImageFormat.JPEG;
        }
        if (b.length >= 8 && Arrays.equals(b, 0, 8, PNG_SIGNATURE, 0, 8)) {
            return ImageFormat.PNG;
        }
        if (b.length >= 6 && (ascii(b, 0, 6).equals("GIF87a") || ascii(b, 0, 6).equals("GIF89a"))) {
            return ImageFormat.GIF;
        }
        if (b.length >= 12 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
            return ImageFormat.WEBP;
        }
        return null;
    }

    private static Header png(DataInputStream in) throws IOException {
        in.skipNBytes(PNG_SIGNATURE.length);
        // IHDR must come first, 13 bytes long.
        int length = in.readInt();
        byte[] type = readExactly(in, 4);
        if (length != 13 || !ascii(type, 0, type.length).equals("IHDR")) {
            throw new InvalidImageException("The PNG file does not start with an image header (IHDR).");
        }
        byte[] data = readExactly(in, 13);
        int crc = in.readInt();
        CRC32 expected = new CRC32();
        expected.update(type);
        expected.update(data);
        if ((int) expected.getValue() != crc) {
            throw new InvalidImageException("The PNG image header is corrupt (CRC mismatch).");
        }
        long width = be32(data, 0) & 0xffffffffL;
        long height = be32(data, 4) & 0xffffffffL;
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new InvalidImageException("The PNG image header claims impossible dimensions.");
        }
        int bitDepth = data[8];
        int channels = switch (data[9]) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw new InvalidImageException("The PNG image header names an unknown colour type.");
        };
        if (bitDepth != 1 && bitDepth != 2 && bitDepth != 4 && bitDepth != 8 && bitDepth != 16) {
            throw new InvalidImageException("The PNG image header names an unknown bit depth.");
        }
        return new Header(ImageFormat.PNG, (int) width, (int) height, 1, pngIccProfile(in), channels, bitDepth);
    }

    /**
     * The ICC profile of an iCCP chunk among the chunks before the image data, or null. ImageIO's PNG reader
     * ignores it, so the pipeline applies it. Other chunks are skipped, not read.
     */
    private static byte[] pngIccProfile(DataInputStream in) throws IOException {
        while (true) {
            long length = in.readInt() & 0xffffffffL;
            String type = ascii(readExactly(in, 4), 0, 4);
            if (type.equals("IDAT") || type.equals("IEND")) {
                return null;
            }
            if (type.equals("iCCP") && length <= ColorProfiles.MAX_PROFILE_BYTES) {
                byte[] data = readExactly(in, (int) length);
                int name = 0;
                while (name < data.length && data[name] != 0) {
                    name++;
                }
                // name, NUL, compression method 0 (zlib), compressed profile
                return name + 2 < data.length ? inflate(data, name + 2) : null;
            }
            in.skipNBytes(length + 4); // data and CRC
        }
    }

    /** zlib data inflated up to {@link ColorProfiles#MAX_PROFILE_BYTES}; null when larger or corrupt. */
    private static byte[] inflate(byte[] data, int offset) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, offset, data.length - offset);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buffer, 0, n);
                if (out.size() > ColorProfiles.MAX_PROFILE_BYTES) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    private static Header gif(DataInputStream in) throws IOException {
        byte[] screen = readExactly(in, 10);
        return new Header(ImageFormat.GIF, le16(screen, 6), le16(screen, 8), 1, null, 1, 8);
    }

    private static Header webp(DataInputStream in) throws IOException {
        in.skipNBytes(12);
        byte[] chunk = readExactly(in, 8);
        String fourcc = ascii(chunk, 0, 4);
        byte[] d = in.readNBytes(10);
        switch (fourcc) {
            case "VP8X" -> {
                requireLength(d, 10);
                return new Header(ImageFormat.WEBP, le24(d, 4) + 1, le24(d, 7) + 1, 1, null, 4, 8);
            }
            case "VP8L", "VP8 " -> {
                long[] size = webpBitstreamSize(fourcc, d);
                return new Header(ImageFormat.WEBP, (int) size[0], (int) size[1], 1, null, 4, 8);
            }
            default -> throw new InvalidImageException("The WebP file does not start with an image chunk.");
        }
    }

    /**
     * Width and height from the first bytes of a VP8L or VP8 chunk's payload (at least 10 bytes; fewer when the
     * chunk is shorter, which is then truncated).
     */
    static long[] webpBitstreamSize(String fourcc, byte[] d) throws EOFException {
        if (fourcc.equals("VP8L")) {
            requireLength(d, 5);
            if ((d[0] & 0xff) != 0x2f) {
                throw new InvalidImageException("The WebP lossless stream has no valid signature.");
            }
            int bits = le32(d, 1);
            return new long[] {(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1};
        }
        requireLength(d, 10);
        if ((d[0] & 1) != 0 || (d[3] & 0xff) != 0x9d || (d[4] & 0xff) != 0x01 || (d[5] & 0xff) != 0x2a) {
            throw new InvalidImageException("The WebP lossy stream does not start with a key frame.");
        }
        return new long[] {le16(d, 6) & 0x3fff, le16(d, 8) & 0x3fff};
    }

    private static Header jpeg(DataInputStream in) throws IOException {
        in.skipNBytes(2);
        int orientation = 1;
        IccChunks icc = new IccChunks();
        while (true) {
            if (in.readUnsignedByte() != 0xff) {
                throw new InvalidImageException("The JPEG file has a corrupt segment structure.");
            }
            int marker;
            do {
                marker = in.readUnsignedByte();
            } while (marker == 0xff);
            if (marker == 0xd9 || marker == 0xda) {
                throw new InvalidImageException("The JPEG file has no frame header.");
            }
            int length = in.readUnsignedShort();
            if (length < 2) {
                throw new InvalidImageException("The JPEG file has a corrupt segment structure.");
            }
            if (isStartOfFrame(marker)) {
                byte[] sof = readExactly(in, 6);
                int height = be16(sof, 1);
                int width = be16(sof, 3);
                if (height == 0) {
                    throw new InvalidImageException(
                            "JPEG files without a height in the frame header are not supported.");
                }
                int components = sof[5] & 0xff;
                if (components != 1 && components != 3 && components != 4) {
                    throw new InvalidImageException(
                            "JPEG files with " + components + " colour components are not supported.");
                }
                return new Header(
                        ImageFormat.JPEG, width, height, orientation, icc.profile(), components, sof[0] & 0xff);
            }
            if (marker == 0xe1 && orientation == 1) {
                orientation = ExifOrientation.parse(readExactly(in, length - 2));
            } else if (marker == 0xe2) {
                icc.add(readExactly(in, length - 2));
            } else {
                in.skipNBytes(length - 2);
            }
        }
    }

    /** APP2 "ICC_PROFILE" segments: a profile split in numbered chunks, joined in their order. */
    private static final class IccChunks {
        private final TreeMap<Integer, byte[]> chunks = new TreeMap<>();
        private int total;

        void add(byte[] app2) {
            if (app2.length > 14
                    && ascii(app2, 0, 12).equals("ICC_PROFILE\0")
                    && total + app2.length <= ColorProfiles.MAX_PROFILE_BYTES) {
                chunks.put(app2[12] & 0xff, Arrays.copyOfRange(app2, 14, app2.length));
                total += app2.length - 14;
            }
        }

        byte[] profile() {
            if (chunks.isEmpty()) {
                return null;
            }
            ByteArrayOutputStream joined = new ByteArrayOutputStream(total);
            chunks.values().forEach(joined::writeBytes);
            return joined.toByteArray();
        }
    }

    /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
    static boolean isStartOfFrame(int marker) {
        return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    }
}
