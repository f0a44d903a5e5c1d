package dev.parley.attachment.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JPEG and PNG processing: orientation, metadata and payload removal, thumbnails. */
class ImageProcessingTest {

    private static final int RED = 0xff0000;
    private static final int GREEN = 0x00ff00;
    private static final int BLUE = 0x0000ff;
    private static final int WHITE = 0xffffff;

    private final ImagePipeline pipeline = new ImagePipeline(ImageLimits.defaults());

    @TempDir
    Path dir;

    /** Stored quadrants: red top-left, green top-right, blue bottom-left, white bottom-right. */
    private static BufferedImage quadrants(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        int[][] colours = {{RED, GREEN}, {BLUE, WHITE}};
        for (int qy = 0; qy < 2; qy++) {
            for (int qx = 0; qx < 2; qx++) {
                g.setColor(new Color(colours[qy][qx]));
                g.fillRect(qx * width / 2, qy * height / 2, width / 2, height / 2);
            }
        }
        g.dispose();
        return image;
    }

    /** The colour at the centre of a quadrant named TL, TR, BL or BR, snapped to the nearest of the four. */
    private static int quadrant(BufferedImage image, String which) {
        int x = which.charAt(1) == 'L' ? image.getWidth() / 4 : image.getWidth() * 3 / 4;
        int y = which.charAt(0) == 'T' ? image.getHeight() / 4 : image.getHeight() * 3 / 4;
        int rgb = image.getRGB(x, y) & 0xffffff;
        int best = 0;
        long bestDistance = Long.MAX_VALUE;
        for (int candidate : new int[] {RED, GREEN, BLUE, WHITE}) {
            long d = 0;
            for (int shift = 0; shift < 24; shift += 8) {
                long c = (rgb >> shift & 0xff) - (candidate >> shift & 0xff);
                d += c * c;
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    /**
     * The original keeps its pixels as stored and says how to turn them in an Exif of one tag, the orientation
     * (none for 1); the thumbnail is turned. Both show the picture upright to a viewer that reads the tag.
     */
    @ParameterizedTest(name = "orientation {0}: stored top-left shows at {1}, stored top-right at {2}")
    @CsvSource({"1,TL,TR", "2,TR,TL", "3,BR,BL", "4,BL,BR", "5,TL,BL", "6,TR,BR", "7,BR,TR", "8,BL,TL"})
    void exifOrientationIsAppliedAndExifWithGpsIsGone(int orientation, String redAt, String greenAt) throws Exception {
        byte[] jpeg = TestImages.insertAfterApp0(TestImages.jpeg(quadrants(96, 48)), TestImages.exifApp1(orientation));
        Path source = TestImages.write(dir, "photo.jpg", jpeg);
        assertThat(TestImages.contains(source, TestImages.GPS_MARKER))
                .as("fixture carries GPS")
                .isTrue();

        ProcessedImage result = pipeline.process(source, ImageFormat.JPEG, dir);

        boolean turned = orientation >= 5;
        assertThat(result.width()).isEqualTo(turned ? 48 : 96);
        assertThat(result.height()).isEqualTo(turned ? 96 : 48);
        BufferedImage original = TestImages.readUpright(result.original());
        assertThat(original.getWidth()).isEqualTo(result.width());
        assertThat(original.getHeight()).isEqualTo(result.height());
        assertThat(quadrant(original, redAt)).as("red quadrant at " + redAt).isEqualTo(RED);
        assertThat(quadrant(original, greenAt))
                .as("green quadrant at " + greenAt)
                .isEqualTo(GREEN);
        BufferedImage thumbnail = TestImages.read(result.thumbnail());
        assertThat(quadrant(thumbnail, redAt)).as("thumbnail red quadrant").isEqualTo(RED);
        assertThat(quadrant(thumbnail, greenAt)).as("thumbnail green quadrant").isEqualTo(GREEN);

        List<byte[]> exif = TestImages.jpegMetadata(Files.readAllBytes(result.original())).stream()
                .filter(segment -> segment.marker() == 0xe1)
                .map(TestImages.Segment::payload)
                .toList();
        if (orientation == 1) {
            assertThat(exif).as("no Exif when the picture is stored upright").isEmpty();
        } else {
            assertThat(exif)
                    .as("one Exif, the orientation alone")
                    .singleElement()
                    .isEqualTo(TestImages.orientationOnlyExif(orientation));
        }
        assertThat(TestImages.contains(result.original(), TestImages.GPS_MARKER))
                .as("no GPS bytes")
                .isFalse();
        assertThat(TestImages.contains(result.thumbnail(), "Exif"))
                .as("no Exif in the thumbnail")
                .isFalse();
        assertThat(result.originalSize()).isEqualTo(Files.size(result.original()));
    }

    @Test
    void aGreyJpegKeepsItsBrightnessThroughOrientationAndThumbnail() throws Exception {
        BufferedImage grey = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                grey.getRaster().setSample(x, y, 0, 100);
            }
        }
        byte[] jpeg = TestImages.insertAfterApp0(TestImages.jpeg(grey), TestImages.exifApp1(6));

        ProcessedImage result = pipeline.process(TestImages.write(dir, "grey.jpg", jpeg), ImageFormat.JPEG, dir);

        BufferedImage original =
                Thumbnails.convert(TestImages.readUpright(result.original()), BufferedImage.TYPE_INT_RGB);
        BufferedImage thumbnail = Thumbnails.convert(TestImages.read(result.thumbnail()), BufferedImage.TYPE_INT_RGB);
        assertThat(original.getWidth()).isEqualTo(48);
        assertThat(original.getRGB(24, 32) & 0xff).isBetween(98, 102);
        assertThat(thumbnail.getRGB(24, 32) & 0xff).isBetween(98, 102);
    }

    /**
     * The original keeps its pixels, so it keeps the profile they need, less the fields that say where and when
     * the profile was made; the thumbnail's pixels are converted to sRGB and it carries none.
     */
    @Test
    void anEmbeddedIccProfileIsKeptScrubbedInTheOriginalAndAppliedToTheThumbnail() throws Exception {
        // Linear-light RGB, a profile far enough from sRGB to see: linear 0.5 is sRGB 188.
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        icc[48] = 'A'; // device manufacturer, as a phone's profile may name it
        icc[90] = 7; // a profile id
        byte[] app2 = TestImages.segment(
                0xe2, TestImages.concat("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1), new byte[] {1, 1}, icc));
        BufferedImage grey = new BufferedImage(1600, 800, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 800; y++) {
            for (int x = 0; x < 1600; x++) {
                grey.setRGB(x, y, 0x808080);
            }
        }
        Path source = TestImages.write(dir, "linear.jpg", TestImages.insertAfterApp0(TestImages.jpeg(grey), app2));

        ProcessedImage result = pipeline.process(source, ImageFormat.JPEG, dir);

        List<byte[]> kept = TestImages.jpegMetadata(Files.readAllBytes(result.original())).stream()
                .filter(segment -> segment.marker() == 0xe2)
                .map(TestImages.Segment::payload)
                .toList();
        byte[] scrubbed = icc.clone();
        Arrays.fill(scrubbed, 24, 36, (byte) 0); // the date it was made
        scrubbed[48] = 0;
        scrubbed[90] = 0;
        assertThat(kept)
                .singleElement()
                .isEqualTo(TestImages.concat(
                        "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1), new byte[] {1, 1}, scrubbed));
        assertThat(TestImages.contains(result.thumbnail(), "ICC_PROFILE"))
                .as("none in the thumbnail")
                .isFalse();
        for (Path file : new Path[] {result.original(), result.thumbnail()}) {
            int rgb = TestImages.read(file).getRGB(100, 50);
            assertThat(rgb >> 8 & 0xff).as("green of %s", file.getFileName()).isBetween(183, 193);
        }
    }

    @Test
    void aPngIccProfileIsAppliedToThePixelsWithAlphaKept() throws Exception {
        ByteArrayOutputStream zlib = new ByteArrayOutputStream();
        try (var deflate = new DeflaterOutputStream(zlib)) {
            deflate.write(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData());
        }
        byte[] iccp = TestImages.pngChunk(
                "iCCP", TestImages.concat("linear\0\0".getBytes(StandardCharsets.ISO_8859_1), zlib.toByteArray()));
        BufferedImage image = new BufferedImage(800, 400, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 400; y++) {
            for (int x = 0; x < 800; x++) {
                image.setRGB(x, y, x < 400 ? 0 : 0xff808080);
            }
        }
        byte[] png = TestImages.png(image);
        int afterIhdr = 8 + 25;
        byte[] withProfile =
                TestImages.concat(Arrays.copyOf(png, afterIhdr), iccp, Arrays.copyOfRange(png, afterIhdr, png.length));
        Path source = TestImages.write(dir, "linear.png", withProfile);

        ProcessedImage result = pipeline.process(source, ImageFormat.PNG, dir);

        assertThat(TestImages.contains(result.original(), "iCCP"))
                .as("profile not copied")
                .isFalse();
        BufferedImage original = TestImages.read(result.original());
        assertThat(original.getRGB(600, 200)).as("linear 0.5 is sRGB 188").isEqualTo(0xffbcbcbc);
        assertThat(original.getRGB(100, 200) >>> 24).as("alpha kept").isZero();
        BufferedImage thumbnail = TestImages.read(result.thumbnail());
        assertThat(thumbnail.getRGB(150, 50) & 0xff).as("blue of the thumbnail").isBetween(185, 191);
        assertThat(thumbnail.getRGB(20, 50) >>> 24).isZero();
    }

    @Test
    void aThumbnailFromTheDcCoefficientsIsTurnedUprightToo() throws Exception {
        byte[] jpeg = TestImages.insertAfterApp0(TestImages.jpeg(quadrants(1600, 800)), TestImages.exifApp1(6));
        ProcessedImage result = pipeline.process(TestImages.write(dir, "big.jpg", jpeg), ImageFormat.JPEG, dir);

        assertThat(result.thumbnailWidth()).isEqualTo(100);
        assertThat(result.thumbnailHeight()).isEqualTo(200);
        assertThat(result.width()).isEqualTo(800);
        assertThat(result.height()).isEqualTo(1600);
        BufferedImage image = TestImages.read(result.thumbnail());
        assertThat(quadrant(image, "TR")).isEqualTo(RED);
        assertThat(quadrant(image, "BR")).isEqualTo(GREEN);
    }

    @Test
    void aJpegPolyglotComesOutWithoutItsCommentAndAppendedZip() throws Exception {
        byte[] comment = TestImages.segment(
                0xfe, "<script>fetch('//evil')</script>PARLEY-COM-SECRET".getBytes(StandardCharsets.ISO_8859_1));
        byte[] zip = "PK\u0003\u0004PARLEY-ZIP-SECRET<html><script>alert(1)</script></html>"
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] jpeg = TestImages.concat(
                TestImages.insertAfterApp0(TestImages.jpeg(TestImages.photo(300, 200, 1)), comment), zip);
        Path source = TestImages.write(dir, "polyglot.jpg", jpeg);

        ProcessedImage result = pipeline.process(source, ImageFormat.JPEG, dir);

        for (String secret : new String[] {"PARLEY-COM-SECRET", "PARLEY-ZIP-SECRET", "PK\u0003\u0004", "<script>"}) {
            assertThat(TestImages.contains(result.original(), secret))
                    .as(secret)
                    .isFalse();
        }
        byte[] clean = Files.readAllBytes(result.original());
        assertThat(clean[clean.length - 2] & 0xff).isEqualTo(0xff);
        assertThat(clean[clean.length - 1] & 0xff).as("the file ends at EOI").isEqualTo(0xd9);
        assertThat(TestImages.meanAbsoluteDifference(TestImages.read(result.original()), TestImages.read(source)))
                .as("the same pixels: nothing was encoded again")
                .isZero();
    }

    @Test
    void aPngKeepsItsAlphaAndLosesTextChunksAndTrailingBytes() throws Exception {
        BufferedImage image = new BufferedImage(120, 90, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 90; y++) {
            for (int x = 0; x < 120; x++) {
                image.setRGB(x, y, (x < 60 ? 0x00 : 0xff) << 24 | (x * 2) << 16 | (y * 2) << 8 | 0x40);
            }
        }
        byte[] text = TestImages.pngChunk(
                "tEXt", "Comment\0<script>PARLEY-PNG-SECRET</script>".getBytes(StandardCharsets.ISO_8859_1));
        byte[] png = TestImages.concat(
                TestImages.insertBeforeIend(TestImages.png(image), text),
                "PK\u0003\u0004PARLEY-PNG-TRAILING".getBytes(StandardCharsets.ISO_8859_1));
        Path source = TestImages.write(dir, "alpha.png", png);

        ProcessedImage result = pipeline.process(source, ImageFormat.PNG, dir);

        assertThat(TestImages.contains(result.original(), "PARLEY-PNG-SECRET")).isFalse();
        assertThat(TestImages.contains(result.original(), "PARLEY-PNG-TRAILING"))
                .isFalse();
        assertThat(TestImages.contains(result.original(), "tEXt")).isFalse();
        BufferedImage clean = TestImages.read(result.original());
        for (int y = 0; y < 90; y += 7) {
            for (int x = 0; x < 120; x += 7) {
                int expected = image.getRGB(x, y);
                int actual = clean.getRGB(x, y);
                assertThat(actual >>> 24).as("alpha at %d,%d", x, y).isEqualTo(expected >>> 24);
                if (expected >>> 24 != 0) {
                    assertThat(actual).as("pixel at %d,%d", x, y).isEqualTo(expected);
                }
            }
        }
        assertThat(result.thumbnailMimeType()).isEqualTo("image/png");
        assertThat(TestImages.read(result.thumbnail()).getColorModel().hasAlpha())
                .isTrue();
        // The BlurHash's average colour (DC, characters 2 to 5): the transparent half counts as white, not black.
        int dc = 0;
        for (char c : result.blurhash().substring(2, 6).toCharArray()) {
            dc = dc * 83
                    + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~".indexOf(c);
        }
        assertThat(dc >> 16 & 0xff).as("average red of " + result.blurhash()).isGreaterThan(200);
    }

    @ParameterizedTest(name = "{0}x{1} fits as {2}x{3}")
    @CsvSource({"800,400,200,100", "300,900,67,200", "100,50,100,50", "200,200,200,200", "4000,10,200,1"})
    void thumbnailsFitTheBoxKeepTheAspectAndAreNeverUpscaled(int w, int h, int tw, int th) throws Exception {
        Path source = TestImages.write(dir, "p.jpg", TestImages.jpeg(TestImages.photo(w, h, 2)));

        ProcessedImage result = pipeline.process(source, ImageFormat.JPEG, dir);

        assertThat(result.thumbnailWidth()).isEqualTo(tw);
        assertThat(result.thumbnailHeight()).isEqualTo(th);
        BufferedImage thumbnail = TestImages.read(result.thumbnail());
        assertThat(thumbnail.getWidth()).isEqualTo(tw);
        assertThat(thumbnail.getHeight()).isEqualTo(th);
        assertThat(result.thumbnailMimeType()).isEqualTo("image/jpeg");
        assertThat(ImageHeaders.sniff(Files.readAllBytes(result.thumbnail()))).isEqualTo(ImageFormat.JPEG);
        assertThat(result.blurhash()).hasSize(28);
    }

    @Test
    void thumbnailsAverageEverySourcePixelInsteadOfPickingSome() throws Exception {
        BufferedImage checkerboard = new BufferedImage(800, 800, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 800; y++) {
            for (int x = 0; x < 800; x++) {
                checkerboard.setRGB(x, y, (x + y) % 2 == 0 ? 0 : WHITE);
            }
        }
        Path source = TestImages.write(dir, "checkerboard.png", TestImages.png(checkerboard));

        BufferedImage thumbnail =
                TestImages.read(pipeline.process(source, ImageFormat.PNG, dir).thumbnail());

        // Nearest-neighbour sampling would give pure black or white; averaging gives mid grey everywhere.
        for (int y = 0; y < thumbnail.getHeight(); y += 9) {
            for (int x = 0; x < thumbnail.getWidth(); x += 9) {
                assertThat(thumbnail.getRGB(x, y) & 0xff)
                        .as("grey at %d,%d", x, y)
                        .isBetween(100, 156);
            }
        }
    }

    @ParameterizedTest(name = "progressive {0}")
    @CsvSource({"false", "true"})
    void theThumbnailFromDcCoefficientsLooksLikeOneFromAFullDecode(boolean progressive) throws Exception {
        Path source = TestImages.write(
                dir, "photo.jpg", TestImages.jpeg(TestImages.photo(1600, 1200, 3), 2, 2, 0, progressive));

        ProcessedImage result = pipeline.process(source, ImageFormat.JPEG, dir);

        BufferedImage reference = Thumbnails.scale(TestImages.read(source), 200, 150);
        String referenceHash = BlurHash.encode(reference, 4, 3);
        assertThat(result.thumbnailWidth()).isEqualTo(200);
        assertThat(result.thumbnailHeight()).isEqualTo(150);
        assertThat(TestImages.meanAbsoluteDifference(TestImages.read(result.thumbnail()), reference))
                .isLessThan(4);
        int differing = 0;
        for (int i = 0; i < referenceHash.length(); i++) {
            differing += result.blurhash().charAt(i) == referenceHash.charAt(i) ? 0 : 1;
        }
        assertThat(differing).as(result.blurhash() + " vs " + referenceHash).isLessThanOrEqualTo(3);
    }

    static int frames(Path file) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            return reader.getNumImages(true);
        }
    }
}
