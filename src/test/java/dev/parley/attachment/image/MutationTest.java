package dev.parley.attachment.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged files, many of them: valid images with a few bytes changed at random (fixed seed, so reproducible).
 * Whatever the damage, the pipeline either produces an image or says the file is invalid; no other exception
 * reaches the caller, which maps exactly that one to INVALID_ATTACHMENT. The JPEGs carry Exif, a profile and a
 * comment, so the damage also lands in the segments the cleaner drops or writes anew.
 */
class MutationTest {

    private static final int MUTANTS = 150;

    private final ImagePipeline pipeline = new ImagePipeline(ImageLimits.defaults());

    @TempDir
    Path dir;

    static Stream<Arguments> fixtures() throws Exception {
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        byte[][] metadata = {
            TestImages.exifApp1(6),
            TestImages.segment(
                    0xe2,
                    TestImages.concat("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1), new byte[] {1, 1}, icc)),
            TestImages.segment(0xfe, "a comment".getBytes(StandardCharsets.ISO_8859_1))
        };
        // Wide enough for the DC decoder path.
        BufferedImage photo = TestImages.photo(1700, 90, 1);
        return Stream.of(
                Arguments.of("JPEG", ImageFormat.JPEG, 1, TestImages.insertAfterApp0(TestImages.jpeg(photo), metadata)),
                Arguments.of(
                        "progressive JPEG",
                        ImageFormat.JPEG,
                        5,
                        TestImages.insertAfterApp0(TestImages.jpeg(photo, 2, 2, 0, true), metadata)),
                Arguments.of("PNG", ImageFormat.PNG, 2, TestImages.png(TestImages.photo(96, 64, 2))),
                Arguments.of("GIF", ImageFormat.GIF, 3, TestImages.gif(TestImages.photo(96, 64, 3))),
                Arguments.of("WebP", ImageFormat.WEBP, 4, TestImages.resource("alpha.webp")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyMutantIsProcessedOrRefusedAsInvalid(String name, ImageFormat format, long seed, byte[] valid)
            throws Exception {
        Random random = new Random(seed);
        int processed = 0;
        int refused = 0;
        for (int i = 0; i < MUTANTS; i++) {
            byte[] mutant = valid.clone();
            int changes = 1 + random.nextInt(4);
            for (int c = 0; c < changes; c++) {
                mutant[random.nextInt(mutant.length)] = (byte) random.nextInt(256);
            }
            Path file = TestImages.write(dir, "mutant-" + i, mutant);
            try {
                pipeline.process(file, format, dir);
                processed++;
            } catch (InvalidImageException e) {
                assertThat(e.reason()).isNotBlank();
                refused++;
            } catch (RuntimeException e) {
                throw new AssertionError(name + " mutant " + i + " (seed " + seed + "): " + e, e);
            }
        }
        assertThat(processed + refused).isEqualTo(MUTANTS);
        System.out.printf("%s mutants: %d processed, %d refused%n", name, processed, refused);
    }
}
