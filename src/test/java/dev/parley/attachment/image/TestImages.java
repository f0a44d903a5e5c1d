package dev.parley.attachment.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.assertj.core.api.Assertions;
import org.w3c.dom.Node;

/**
 * Builds real test images in memory: photo-like pixels, JPEGs with chosen subsampling, EXIF, PNG chunks. Public for
 * the thumbnail benchmark (dev.parley.bench.ThumbBench), which needs the same photo-like JPEGs.
 */
public final class TestImages {

    private TestImages() {}

    /** Smooth gradients, soft discs and per-pixel noise: what a photo's JPEG statistics look like, not flat colour. */
    public static BufferedImage photo(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] cx = new int[6];
        int[] cy = new int[6];
        int[] radius = new int[6];
        int[] colour = new int[6];
        for (int i = 0; i < 6; i++) {
            cx[i] = random.nextInt(width);
            cy[i] = random.nextInt(height);
            radius[i] = Math.max(4, random.nextInt(Math.max(5, Math.min(width, height) / 3)));
            colour[i] = random.nextInt(0x1000000);
        }
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = 40 + 160 * x / width;
                int g = 60 + 120 * y / height;
                int b = 90 + (int) (60 * Math.sin((x + y) / 37.0));
                for (int i = 0; i < 6; i++) {
                    long dx = x - cx[i];
                    long dy = y - cy[i];
                    if (dx * dx + dy * dy < (long) radius[i] * radius[i]) {
                        r = (r + (colour[i] >> 16 & 0xff)) / 2;
                        g = (g + (colour[i] >> 8 & 0xff)) / 2;
                        b = (b + (colour[i] & 0xff)) / 2;
                    }
                }
                int noise = random.nextInt(17) - 8;
                row[x] = clamp(r + noise) << 16 | clamp(g + noise) << 8 | clamp(b + noise);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    public static byte[] png(BufferedImage image) {
        return encode(image, "png");
    }

    public static byte[] gif(BufferedImage image) {
        return encode(image, "gif");
    }

    private static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("No writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] jpeg(BufferedImage image) {
        return jpeg(image, 2, 2, 0, false);
    }

    /**
     * A JPEG at quality 0.9 whose luma has the given sampling factors (chroma 1x1: 1,1 is 4:4:4, 2,1 is 4:2:2, 2,2
     * is 4:2:0), with a restart marker every {@code restartInterval} MCUs (0 for none), optionally progressive.
     */
    public static byte[] jpeg(BufferedImage image, int lumaH, int lumaV, int restartInterval, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
            String format = "javax_imageio_jpeg_image_1.0";
            IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
            IIOMetadataNode markers = (IIOMetadataNode)
                    root.getElementsByTagName("markerSequence").item(0);
            IIOMetadataNode sof =
                    (IIOMetadataNode) markers.getElementsByTagName("sof").item(0);
            Node spec = sof.getFirstChild();
            for (int i = 0; spec != null; spec = spec.getNextSibling(), i++) {
                ((IIOMetadataNode) spec).setAttribute("HsamplingFactor", String.valueOf(i == 0 ? lumaH : 1));
                ((IIOMetadataNode) spec).setAttribute("VsamplingFactor", String.valueOf(i == 0 ? lumaV : 1));
            }
            if (restartInterval > 0) {
                IIOMetadataNode dri = new IIOMetadataNode("dri");
                dri.setAttribute("interval", String.valueOf(restartInterval));
                markers.insertBefore(dri, sof);
            }
            metadata.setFromTree(format, root);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, metadata), param);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    public static final String GPS_MARKER = "PARLEY-GPS-52.5200N-13.4050E";

    /**
     * An APP1 Exif segment (marker and length included), big-endian TIFF: IFD0 with the orientation and a pointer
     * to a GPS IFD holding latitude reference, latitude and a map datum string that tests can search for.
     */
    public static byte[] exifApp1(int orientation) {
        byte[] datum = (GPS_MARKER + "\0").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer tiff = ByteBuffer.allocate(200);
        tiff.put("MM".getBytes(StandardCharsets.ISO_8859_1))
                .putShort((short) 42)
                .putInt(8);
        // IFD0 at 8: 2 entries (8 + 2 + 24 + 4 = 38)
        tiff.putShort((short) 2);
        tiff.putShort((short) 0x0112)
                .putShort((short) 3)
                .putInt(1)
                .putShort((short) orientation)
                .putShort((short) 0);
        tiff.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38);
        tiff.putInt(0);
        // GPS IFD at 38: 3 entries (38 + 2 + 36 + 4 = 80); rationals at 80 (24 bytes), datum at 104
        tiff.putShort((short) 3);
        tiff.putShort((short) 0x0001)
                .putShort((short) 2)
                .putInt(2)
                .put((byte) 'N')
                .put((byte) 0)
                .putShort((short) 0);
        tiff.putShort((short) 0x0002).putShort((short) 5).putInt(3).putInt(80);
        tiff.putShort((short) 0x0012).putShort((short) 2).putInt(datum.length).putInt(104);
        tiff.putInt(0);
        tiff.putInt(52).putInt(1).putInt(31).putInt(1).putInt(12).putInt(1);
        tiff.put(datum);
        byte[] payload =
                concat("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), Arrays.copyOf(tiff.array(), tiff.position()));
        return segment(0xe1, payload);
    }

    /** A marker segment: FF, marker, big-endian length (payload + 2), payload. */
    public static byte[] segment(int marker, byte[] payload) {
        int length = payload.length + 2;
        return concat(new byte[] {(byte) 0xff, (byte) marker, (byte) (length >> 8), (byte) length}, payload);
    }

    /** Inserts segments after the JFIF APP0 segment (or after SOI when there is none). */
    public static byte[] insertAfterApp0(byte[] jpeg, byte[]... segments) {
        int at = 2;
        if ((jpeg[2] & 0xff) == 0xff && (jpeg[3] & 0xff) == 0xe0) {
            at = 4 + ((jpeg[4] & 0xff) << 8 | jpeg[5] & 0xff);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, at);
        for (byte[] s : segments) {
            out.writeBytes(s);
        }
        out.write(jpeg, at, jpeg.length - at);
        return out.toByteArray();
    }

    /** A PNG chunk: length, type, data, CRC of type and data. */
    public static byte[] pngChunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length)
                .putInt(data.length)
                .put(typeBytes)
                .put(data)
                .putInt((int) crc.getValue())
                .array();
    }

    /** A PNG whose IHDR (valid CRC) claims width x height 8-bit RGB, with a tiny valid zlib IDAT and IEND. */
    public static byte[] pngHeaderOnly(int width, int height) {
        byte[] ihdr = ByteBuffer.allocate(13)
                .putInt(width)
                .putInt(height)
                .put((byte) 8)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0)
                .array();
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[1024]);
        deflater.finish();
        byte[] idat = new byte[256];
        int n = deflater.deflate(idat);
        return concat(
                new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
                pngChunk("IHDR", ihdr),
                pngChunk("IDAT", Arrays.copyOf(idat, n)),
                pngChunk("IEND", new byte[0]));
    }

    /**
     * A 16-bit RGBA PNG with an iCCP chunk (the linear-RGB profile), written a row at a time: 64x64 blocks of
     * colour, whose rows PNG's Up filter turns into zeros, so it deflates to a few hundred kB even at 40 megapixels.
     * The shape of the image issue 8 names as the costliest (6324x6324 in 311 KB), without ever holding its pixels.
     */
    public static byte[] png16WithProfile(int width, int height) {
        byte[] ihdr = ByteBuffer.allocate(13)
                .putInt(width)
                .putInt(height)
                .put((byte) 16)
                .put((byte) 6)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0)
                .array();
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate =
                new DeflaterOutputStream(idat, new Deflater(Deflater.BEST_SPEED), 1 << 16)) {
            byte[] raw = new byte[width * 8];
            byte[] row = new byte[1 + raw.length];
            for (int y = 0; y < height; y++) {
                if (y % 64 != 0) {
                    // Filter type 2 (Up): the same row again is all zeros.
                    Arrays.fill(row, (byte) 0);
                    row[0] = 2;
                    deflate.write(row);
                    continue;
                }
                for (int x = 0; x < width; x++) {
                    int block = x / 64 * 7 + y / 64 * 13;
                    int at = x * 8;
                    ByteBuffer.wrap(raw, at, 8)
                            .putShort((short) (block * 2311))
                            .putShort((short) (block * 7919))
                            .putShort((short) (block * 104729))
                            .putShort((short) (0xffff - block % 5 * 9000));
                }
                // Filter type 1 (Sub): each byte minus the same byte of the pixel before, zero inside a block.
                row[0] = 1;
                for (int i = 0; i < raw.length; i++) {
                    row[1 + i] = (byte) (raw[i] - (i >= 8 ? raw[i - 8] : 0));
                }
                deflate.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream profile = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(profile)) {
            deflate.write(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] iccp = concat("linear\0\0".getBytes(StandardCharsets.ISO_8859_1), profile.toByteArray());
        return concat(
                new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
                pngChunk("IHDR", ihdr),
                pngChunk("iCCP", iccp),
                pngChunk("IDAT", idat.toByteArray()),
                pngChunk("IEND", new byte[0]));
    }

    /** SOI and a baseline frame header claiming width x height in three components: enough for the header check. */
    public static byte[] jpegHeaderOnly(int width, int height) {
        byte[] sof = ByteBuffer.allocate(15)
                .put((byte) 8)
                .putShort((short) height)
                .putShort((short) width)
                .put((byte) 3)
                .put(new byte[] {1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1})
                .array();
        return concat(new byte[] {(byte) 0xff, (byte) 0xd8}, segment(0xc0, sof));
    }

    /** A JPEG marker segment: its marker and its payload (after the length). */
    public record Segment(int marker, byte[] payload) {}

    /** The marker segments of a JPEG from after SOI up to and including its first SOS. */
    public static List<Segment> jpegSegments(byte[] jpeg) {
        List<Segment> segments = new ArrayList<>();
        int at = 2;
        while (at + 4 <= jpeg.length) {
            Assertions.assertThat(jpeg[at] & 0xff).as("marker at %d", at).isEqualTo(0xff);
            int marker = jpeg[at + 1] & 0xff;
            int length = (jpeg[at + 2] & 0xff) << 8 | jpeg[at + 3] & 0xff;
            segments.add(new Segment(marker, Arrays.copyOfRange(jpeg, at + 4, at + 2 + length)));
            if (marker == 0xda) {
                break;
            }
            at += 2 + length;
        }
        return segments;
    }

    /** The APPn segments (E0 to EF) and comments (FE) of a JPEG, before its first scan. */
    public static List<Segment> jpegMetadata(byte[] jpeg) {
        return jpegSegments(jpeg).stream()
                .filter(s -> s.marker() >= 0xe0 && s.marker() <= 0xef || s.marker() == 0xfe)
                .toList();
    }

    /**
     * The one Exif a cleaned JPEG may carry: IFD0 with a single entry, the orientation, and no further IFD. Written
     * out here byte by byte (big-endian TIFF), independently of the code under test.
     */
    public static byte[] orientationOnlyExif(int orientation) {
        ByteBuffer exif = ByteBuffer.allocate(32);
        exif.put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1))
                .put("MM".getBytes(StandardCharsets.ISO_8859_1))
                .putShort((short) 42)
                .putInt(8)
                .putShort((short) 1)
                .putShort((short) 0x0112)
                .putShort((short) 3)
                .putInt(1)
                .putShort((short) orientation)
                .putShort((short) 0)
                .putInt(0);
        return exif.array();
    }

    /**
     * A JPEG as a viewer shows it: decoded, then turned by the orientation of its Exif segment (as browsers and
     * the platforms' image libraries do). Any other image: as decoded.
     */
    public static BufferedImage readUpright(Path file) throws IOException {
        BufferedImage image = read(file);
        byte[] bytes = Files.readAllBytes(file);
        if (ImageHeaders.sniff(bytes) != ImageFormat.JPEG) {
            return image;
        }
        int orientation = 1;
        for (Segment segment : jpegMetadata(bytes)) {
            if (segment.marker() == 0xe1) {
                orientation = ExifOrientation.parse(segment.payload());
            }
        }
        return Orientation.apply(image, orientation);
    }

    /** Inserts a chunk before the final IEND chunk (12 bytes) of a PNG. */
    public static byte[] insertBeforeIend(byte[] png, byte[] chunk) {
        int at = png.length - 12;
        return concat(Arrays.copyOf(png, at), chunk, Arrays.copyOfRange(png, at, png.length));
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    public static boolean contains(Path file, String needle) throws IOException {
        return contains(Files.readAllBytes(file), needle.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static byte[] resource(String name) throws IOException {
        try (InputStream in = TestImages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    public static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    public static BufferedImage read(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        if (image == null) {
            throw new IllegalStateException("Not readable by ImageIO: " + file);
        }
        return image;
    }

    /**
     * The colours of the CMYK fixtures ({@code cmyk.jpg}, {@code ycck.jpg}; see the README beside them): red, green,
     * blue and yellow quadrants, each within a JPEG re-encoding's error of the sRGB they were made from.
     */
    public static void assertCmykPatches(BufferedImage image) {
        int[][] expected = {{220, 40, 40}, {40, 180, 70}, {40, 70, 200}, {240, 220, 50}};
        int w = image.getWidth();
        int h = image.getHeight();
        int[][] at = {{w / 4, h / 4}, {w * 3 / 4, h / 4}, {w / 4, h * 3 / 4}, {w * 3 / 4, h * 3 / 4}};
        for (int i = 0; i < 4; i++) {
            int rgb = image.getRGB(at[i][0], at[i][1]);
            int[] actual = {rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff};
            for (int c = 0; c < 3; c++) {
                Assertions.assertThat(actual[c])
                        .as("patch %d channel %d of %s", i, c, Arrays.toString(actual))
                        .isBetween(expected[i][c] - 12, expected[i][c] + 12);
            }
        }
    }

    /** Mean absolute difference per channel between two images of the same size. */
    public static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new IllegalArgumentException("Sizes differ: " + a.getWidth() + "x" + a.getHeight() + " vs "
                    + b.getWidth() + "x" + b.getHeight());
        }
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    sum += Math.abs((p >> shift & 0xff) - (q >> shift & 0xff));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }
}
