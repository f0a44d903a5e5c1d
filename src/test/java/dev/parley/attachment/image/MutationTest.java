package dev.parley.attachment.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Damaged files, many of them: valid images with a few bytes changed at random (fixed seed, so reproducible).
 * Whatever the damage, the pipeline either produces an image or says the file is invalid; no other exception
 * reaches the caller, which maps exactly that one to INVALID_ATTACHMENT.
 */
class MutationTest {

    private static final int MUTANTS = 150;

    private final ImagePipeline pipeline = new ImagePipeline(ImageLimits.defaults());

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ImageFormat.class)
    void everyMutantIsProcessedOrRefusedAsInvalid(ImageFormat format) throws Exception {
        byte[] valid = switch (format) {
            case JPEG -> TestImages.jpeg(TestImages.photo(1700, 90, 1)); // wide enough for the DC decoder path
            case PNG -> TestImages.png(TestImages.photo(96, 64, 2));
            case GIF -> TestImages.gif(TestImages.photo(96, 64, 3));
            case WEBP -> TestImages.resource("alpha.webp");
        };
        Random random = new Random(format.ordinal());
        int processed = 0;
        int refused = 0;
        for (int i = 0; i < MUTANTS; i++) {
            byte[] mutant = valid.clone();
            int changes = 1 + random.nextInt(4);
            for (int c = 0; c < changes; c++) {
                mutant[random.nextInt(mutant.length)] = (byte) random.nextInt(256);
            }
            Path file = TestImages.write(dir, "mutant-" + i, mutant);
            for (int call = 0; call < 2; call++) {
                try {
                    if (call == 0) {
                        pipeline.process(file, format, dir);
                    } else {
                        pipeline.thumbnail(file, format, dir);
                    }
                    processed++;
                } catch (InvalidImageException e) {
                    assertThat(e.reason()).isNotBlank();
                    refused++;
                } catch (RuntimeException e) {
                    throw new AssertionError(format + " mutant " + i + " (seed " + format.ordinal() + "), call "
                            + call + ": " + e, e);
                }
            }
        }
        assertThat(processed + refused).isEqualTo(2 * MUTANTS);
        System.out.printf("%s mutants: %d processed, %d refused%n", format, processed, refused);
    }
}
