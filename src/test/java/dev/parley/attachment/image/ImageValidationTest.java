package dev.parley.attachment.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Real-byte validation: the type the bytes really are, the pixel limit from the header, damaged files. */
class ImageValidationTest {

    private final ImagePipeline pipeline = new ImagePipeline(ImageLimits.defaults());

    @TempDir
    Path dir;

    @Test
    void mimeTypesMapToFormatsAndBack() {
        assertThat(ImageFormat.ofMimeType("image/jpeg")).contains(ImageFormat.JPEG);
        assertThat(ImageFormat.ofMimeType("IMAGE/PNG; charset=binary")).contains(ImageFormat.PNG);
        assertThat(ImageFormat.ofMimeType("image/webp")).contains(ImageFormat.WEBP);
        assertThat(ImageFormat.ofMimeType("image/gif")).contains(ImageFormat.GIF);
        assertThat(ImageFormat.ofMimeType("image/svg+xml")).isEmpty();
        assertThat(ImageFormat.ofMimeType(null)).isEmpty();
        assertThat(ImageFormat.GIF.mimeType()).isEqualTo("image/gif");
        assertThat(ImageLimits.defaults())
                .isEqualTo(new ImageLimits(40_000_000, 200, Runtime.getRuntime().maxMemory() / 2));
    }

    /** Each needs its decoded samples, the copies its processing makes, and 2 bytes a pixel besides. */
    @Test
    void inspectReadsDimensionsOfEveryFormatFromTheHeader() throws Exception {
        byte[] jpeg = TestImages.jpeg(TestImages.photo(120, 80, 1));
        assertThat(pipeline.inspect(TestImages.write(dir, "a.jpg", jpeg), ImageFormat.JPEG))
                .isEqualTo(new ImageInfo(ImageFormat.JPEG, 120, 80, 120 * 80 * (3 + 2)));
        assertThat(pipeline.inspect(
                        TestImages.write(dir, "a.png", TestImages.png(TestImages.photo(33, 17, 2))), ImageFormat.PNG))
                .isEqualTo(new ImageInfo(ImageFormat.PNG, 33, 17, 33 * 17 * (3 + 2)));
        assertThat(pipeline.inspect(
                        TestImages.write(dir, "a.gif", TestImages.gif(TestImages.photo(21, 9, 3))), ImageFormat.GIF))
                .isEqualTo(new ImageInfo(ImageFormat.GIF, 21, 9, 21 * 9 * (1 + 4 + 2)));
        for (String webp : new String[] {"lossy.webp", "lossless.webp", "alpha.webp", "animated.webp"}) {
            assertThat(pipeline.inspect(TestImages.write(dir, webp, TestImages.resource(webp)), ImageFormat.WEBP))
                    .as(webp)
                    .isEqualTo(new ImageInfo(ImageFormat.WEBP, 64, 48, 64 * 48 * (4 + 4 + 2)));
        }
    }

    @Test
    void inspectReportsJpegDimensionsAsDisplayedWhenExifTurnsTheImage() throws Exception {
        byte[] jpeg = TestImages.insertAfterApp0(TestImages.jpeg(TestImages.photo(120, 80, 1)), TestImages.exifApp1(6));
        assertThat(pipeline.inspect(TestImages.write(dir, "turned.jpg", jpeg), ImageFormat.JPEG))
                .isEqualTo(new ImageInfo(ImageFormat.JPEG, 80, 120, 120 * 80 * (4 + 4 + 2)));
    }

    static Stream<Arguments> mismatches() {
        byte[] png = TestImages.png(TestImages.photo(16, 16, 4));
        byte[] jpeg = TestImages.jpeg(TestImages.photo(16, 16, 5));
        byte[] text = "<html><script>alert(1)</script></html>\n".getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("a text file named .png", text, ImageFormat.PNG, "The file is not a PNG image."),
                Arguments.of(
                        "a PNG declared as JPEG",
                        png,
                        ImageFormat.JPEG,
                        "The file is a PNG image, not the declared image/jpeg."),
                Arguments.of(
                        "a JPEG declared as WebP",
                        jpeg,
                        ImageFormat.WEBP,
                        "The file is a JPEG image, not the declared image/webp."),
                Arguments.of("an empty file", new byte[0], ImageFormat.GIF, "The file is not a GIF image."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mismatches")
    void bytesThatAreNotTheDeclaredTypeAreRefusedByInspectAndProcess(
            String what, byte[] bytes, ImageFormat declared, String reason) throws Exception {
        Path file = TestImages.write(dir, "upload", bytes);
        assertThatThrownBy(() -> pipeline.inspect(file, declared))
                .isInstanceOfSatisfying(
                        InvalidImageException.class, e -> assertThat(e.reason()).isEqualTo(reason));
        assertThatThrownBy(() -> pipeline.process(file, declared, dir))
                .isInstanceOfSatisfying(
                        InvalidImageException.class, e -> assertThat(e.reason()).isEqualTo(reason));
        assertThat(workFiles()).as("no work files left behind").isEmpty();
    }

    static Stream<Arguments> damaged() {
        byte[] jpeg = TestImages.jpeg(TestImages.photo(300, 200, 6));
        byte[] png = TestImages.png(TestImages.photo(300, 200, 7));
        byte[] gif = TestImages.gif(TestImages.photo(100, 80, 8));
        byte[] corruptPng = png.clone();
        for (int i = 60; i < 200; i++) {
            corruptPng[i] ^= 0x5a; // inside the IDAT data: its CRC no longer matches
        }
        return Stream.of(
                Arguments.of("a JPEG cut in half", Arrays.copyOf(jpeg, jpeg.length / 2), ImageFormat.JPEG),
                Arguments.of("a JPEG cut inside its header", Arrays.copyOf(jpeg, 40), ImageFormat.JPEG),
                Arguments.of("a PNG cut in half", Arrays.copyOf(png, png.length / 2), ImageFormat.PNG),
                Arguments.of("a PNG with corrupt image data", corruptPng, ImageFormat.PNG),
                Arguments.of("a GIF cut in half", Arrays.copyOf(gif, gif.length / 2), ImageFormat.GIF),
                Arguments.of(
                        "a WebP cut in half", Arrays.copyOf(resourceUnchecked("lossy.webp"), 110), ImageFormat.WEBP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damaged")
    void damagedFilesAreRefusedWithAReason(String what, byte[] bytes, ImageFormat declared) throws Exception {
        Path file = TestImages.write(dir, "upload", bytes);
        assertThatThrownBy(() -> pipeline.process(file, declared, dir))
                .isInstanceOfSatisfying(
                        InvalidImageException.class,
                        e -> assertThat(e.reason())
                                .matches("The (JPEG|PNG|GIF|WebP) (file|image data) (is truncated|is truncated or "
                                        + "corrupt|"
                                        + "could not be decoded)\\."));
        assertThat(workFiles()).as("no work files left behind").isEmpty();
    }

    @Test
    void aPngClaiming50000By50000PixelsIsRefusedFromItsHeaderWithoutAllocatingItsPixels() throws Exception {
        Path bomb = TestImages.write(dir, "bomb.png", TestImages.pngHeaderOnly(50_000, 50_000));
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        pipeline.inspect(
                TestImages.write(dir, "warm.png", TestImages.png(TestImages.photo(8, 8, 9))),
                ImageFormat.PNG); // load classes outside the measurement
        long before = threads.getCurrentThreadAllocatedBytes();

        assertThatThrownBy(() -> pipeline.inspect(bomb, ImageFormat.PNG))
                .isInstanceOfSatisfying(
                        InvalidImageException.class,
                        e -> assertThat(e.reason())
                                .isEqualTo("The image is 50000x50000 pixels; at most 40000000 pixels are allowed."));
        assertThatThrownBy(() -> pipeline.process(bomb, ImageFormat.PNG, dir))
                .isInstanceOf(InvalidImageException.class);

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // Decoding would need 7.5 GB for the pixels alone; the header check reads a few kilobytes.
        assertThat(allocated)
                .as("bytes allocated while refusing the bomb twice")
                .isLessThan(4L << 20);
        assertThat(workFiles()).isEmpty();
    }

    @Test
    void aSixteenBitPngWithAProfileIsCountedAtEightBytesAPixelPlusItsEightBitCopyAndCapped() throws Exception {
        Path png = TestImages.write(dir, "deep.png", TestImages.png16WithProfile(2000, 1000));
        long needed = 2000L * 1000 * (4 * 2 + 4 + 2);
        assertThat(new ImagePipeline(new ImageLimits(40_000_000, 200, needed))
                        .inspect(png, ImageFormat.PNG)
                        .workingBytes())
                .isEqualTo(needed);
        ImagePipeline tight = new ImagePipeline(new ImageLimits(40_000_000, 200, 20L << 20));
        assertThatThrownBy(() -> tight.inspect(png, ImageFormat.PNG))
                .isInstanceOfSatisfying(
                        InvalidImageException.class,
                        e -> assertThat(e.reason())
                                .isEqualTo(
                                        "The image (2000x1000, 4 channels of 16 bits) would need about 27 MB of memory "
                                                + "to process; this server processes images of up to 20 MB."));
        assertThatThrownBy(() -> tight.process(png, ImageFormat.PNG, dir)).isInstanceOf(InvalidImageException.class);
        assertThat(workFiles()).isEmpty();
    }

    @Test
    void thePixelLimitIsConfigurableAndCountsWidthTimesHeight() throws Exception {
        ImagePipeline small = new ImagePipeline(new ImageLimits(300 * 200, 200, 1L << 30));
        Path exact = TestImages.write(dir, "exact.jpg", TestImages.jpeg(TestImages.photo(300, 200, 10)));
        Path over = TestImages.write(dir, "over.gif", TestImages.gif(TestImages.photo(301, 200, 11)));
        assertThat(small.inspect(exact, ImageFormat.JPEG).pixels()).isEqualTo(60_000);
        assertThatThrownBy(() -> small.inspect(over, ImageFormat.GIF))
                .isInstanceOfSatisfying(
                        InvalidImageException.class,
                        e -> assertThat(e.reason())
                                .isEqualTo("The image is 301x200 pixels; at most 60000 pixels are allowed."));
    }

    @Test
    void aPngWithABrokenHeaderCrcIsRefused() throws Exception {
        byte[] png = TestImages.png(TestImages.photo(16, 16, 12));
        png[20] ^= 1; // a byte of IHDR's height
        Path file = TestImages.write(dir, "crc.png", png);
        assertThatThrownBy(() -> pipeline.inspect(file, ImageFormat.PNG))
                .isInstanceOfSatisfying(
                        InvalidImageException.class,
                        e -> assertThat(e.reason()).isEqualTo("The PNG image header is corrupt (CRC mismatch)."));
    }

    private List<Path> workFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("(original|thumbnail|check)-.*"))
                    .toList();
        }
    }

    private static byte[] resourceUnchecked(String name) {
        try {
            return TestImages.resource(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
