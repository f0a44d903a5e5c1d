package dev.parley.attachment.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferUShort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The images that cost most or decode wrongly: 16-bit PNGs, cancelled jobs, CMYK and YCCK JPEGs. */
class CostlyImagesTest {

    private final ImagePipeline pipeline = new ImagePipeline(ImageLimits.defaults());

    @TempDir
    Path dir;

    @Test
    void aSixteenBitPngWithAProfileComesOutAsEightBitSrgbWithItsAlpha() throws Exception {
        Path png = TestImages.write(dir, "deep.png", TestImages.png16WithProfile(640, 320));
        ProcessedImage result = pipeline.process(png, ImageFormat.PNG, dir);

        BufferedImage original = TestImages.read(result.original());
        assertThat(original.getWidth()).isEqualTo(640);
        assertThat(original.getColorModel().getComponentSize(0)).isEqualTo(8);
        assertThat(original.getColorModel().hasAlpha()).isTrue();
        // Block (0, 0) is black, fully opaque; linear black is sRGB black.
        assertThat(original.getRGB(10, 10)).isEqualTo(0xff000000);
        // Block (1, 0): 16-bit linear red 7 * 2311 = 16177 of 65535 (0.25), green 7 * 7919 mod 65536 = 55433 (0.85),
        // blue 7 * 104729 mod 65536 = 12207 (0.19), alpha 65535 - 2 * 9000 (0.73); sRGB: about 136, 237, 120.
        int argb = original.getRGB(70, 10);
        assertThat(argb >>> 24).isBetween(184, 188);
        assertThat(argb >> 16 & 0xff).isBetween(130, 144);
        assertThat(argb >> 8 & 0xff).isBetween(230, 244);
        assertThat(argb & 0xff).isBetween(114, 128);
        assertThat(result.thumbnailMimeType()).isEqualTo("image/png");
    }

    @Test
    void aSixteenBitGreyPngKeepsTheHighByteOfEachSample() throws Exception {
        BufferedImage grey = new BufferedImage(300, 200, BufferedImage.TYPE_USHORT_GRAY);
        short[] samples = ((DataBufferUShort) grey.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (i % 300 < 150 ? 0x4080 : 0xc0ff);
        }
        Path png = TestImages.write(dir, "grey16.png", TestImages.png(grey));
        BufferedImage original =
                TestImages.read(pipeline.process(png, ImageFormat.PNG, dir).original());
        assertThat(original.getColorModel().getComponentSize(0)).isEqualTo(8);
        assertThat(original.getRGB(10, 10) & 0xffffff).isEqualTo(0x404040);
        assertThat(original.getRGB(290, 190) & 0xffffff).isEqualTo(0xc0c0c0);
    }

    @Test
    void aCancelledJobStopsWithACancellationAndLeavesNoFiles() throws Exception {
        Path png = TestImages.write(dir, "big.png", TestImages.png16WithProfile(4000, 4000));
        Cancellation cancel = new Cancellation();
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(cancel::cancel);
        assertThatThrownBy(() -> pipeline.process(png, ImageFormat.PNG, dir, cancel))
                .isInstanceOf(CancellationException.class);
        assertThat(cancel.cancelled()).isTrue();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("big.png");
        }
    }

    /**
     * The fixtures (see the README beside them) hold four sRGB patches converted to CMYK, one with the Adobe
     * transform 0 and one stored as YCCK. The JDK's JPEG reader gives them washed-out colours, up to 80 off.
     */
    @ParameterizedTest
    @ValueSource(strings = {"cmyk.jpg", "ycck.jpg"})
    void cmykAndYcckJpegsKeepTheirColoursInTheOriginalAndTheThumbnail(String fixture) throws Exception {
        Path jpeg = TestImages.write(dir, fixture, TestImages.resource(fixture));
        assertThat(pipeline.inspect(jpeg, ImageFormat.JPEG).workingBytes()).isEqualTo(128 * 128 * (4 + 3 + 2));
        ProcessedImage result = pipeline.process(jpeg, ImageFormat.JPEG, dir);
        TestImages.assertCmykPatches(TestImages.read(result.original()));
        TestImages.assertCmykPatches(TestImages.read(result.thumbnail()));
    }
}
