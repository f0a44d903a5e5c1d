package dev.parley.attachment.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The 1/8-scale DC decoder against ImageIO's full decode averaged over the same 8x8 blocks. */
class JpegDcDecoderTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}x{1}, luma sampling {2}x{3}, restart every {4} MCUs, progressive {5}")
    @CsvSource({
        "640,480,1,1,0,false", // 4:4:4
        "640,480,2,2,0,false", // 4:2:0
        "640,480,2,1,0,false", // 4:2:2
        "517,389,2,2,0,false", // partial MCUs at the right and bottom edges
        "517,389,1,1,7,false", // restart markers, 4:4:4
        "640,480,2,2,3,false", // restart markers, 4:2:0
        "333,250,2,1,1,false", // a restart marker after every MCU, 4:2:2
        "640,480,2,2,0,true", // progressive: only the first (DC) scan is read
        "517,389,1,1,5,true", // progressive 4:4:4 with restart markers
    })
    void matchesTheFullDecodeAveragedOverEachBlock(
            int width, int height, int lumaH, int lumaV, int restart, boolean progressive) throws Exception {
        byte[] jpeg = TestImages.jpeg(
                TestImages.photo(width, height, width + lumaH * 10 + lumaV), lumaH, lumaV, restart, progressive);
        Path file = TestImages.write(dir, "t.jpg", jpeg);
        if (restart > 0) {
            assertThat(TestImages.contains(jpeg, new byte[] {(byte) 0xff, (byte) 0xdd}))
                    .as("has DRI")
                    .isTrue();
        }

        BufferedImage eighth = JpegDcDecoder.decode(file, width, height);

        assertThat(eighth)
                .as("baseline and progressive JPEGs take the fast path")
                .isNotNull();
        assertThat(eighth.getWidth()).isEqualTo((width + 7) / 8);
        assertThat(eighth.getHeight()).isEqualTo((height + 7) / 8);
        BufferedImage reference = blockMeans(TestImages.read(file));
        // Chroma is upsampled by block here and smoothly by libjpeg there; a few levels apart at colour edges.
        assertThat(TestImages.meanAbsoluteDifference(eighth, reference)).isLessThan(3.0);
    }

    @Test
    void grayscaleJpegsDecode() throws Exception {
        BufferedImage photo = TestImages.photo(400, 300, 5);
        BufferedImage gray = new BufferedImage(400, 300, BufferedImage.TYPE_BYTE_GRAY);
        gray.getGraphics().drawImage(photo, 0, 0, null);
        Path file = TestImages.write(dir, "gray.jpg", TestImages.jpeg(gray));

        BufferedImage eighth = JpegDcDecoder.decode(file, 400, 300);

        assertThat(eighth).isNotNull();
        assertThat(TestImages.meanAbsoluteDifference(eighth, blockMeans(TestImages.read(file))))
                .isLessThan(1.5);
    }

    @Test
    void cmykAndRgbJpegsAreLeftToImageIo() throws Exception {
        byte[] adobeRgb = TestImages.segment(0xee, new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0});
        byte[] jpeg = TestImages.insertAfterApp0(TestImages.jpeg(TestImages.photo(64, 64, 6)), adobeRgb);
        assertThat(JpegDcDecoder.decode(TestImages.write(dir, "rgb.jpg", jpeg), 64, 64))
                .isNull();
    }

    @Test
    void truncatedEntropyDataIsAnError() throws Exception {
        byte[] jpeg = TestImages.jpeg(TestImages.photo(400, 300, 7));
        Path cut = TestImages.write(dir, "cut.jpg", Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
        byte[] early =
                TestImages.concat(Arrays.copyOf(jpeg, jpeg.length * 2 / 3), new byte[] {(byte) 0xff, (byte) 0xd9});
        Path endsEarly = TestImages.write(dir, "early.jpg", early);

        assertThatThrownBy(() -> JpegDcDecoder.decode(cut, 400, 300)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> JpegDcDecoder.decode(endsEarly, 400, 300))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("ended early");
    }

    /** Bytes hidden between the last block and EOI: libjpeg warns of them, and this decoder refuses them. */
    @Test
    void dataAfterTheLastBlockIsAnError() throws Exception {
        byte[] jpeg = TestImages.jpeg(TestImages.photo(400, 300, 7));
        byte[] padded = TestImages.concat(
                Arrays.copyOf(jpeg, jpeg.length - 2),
                "PARLEY".getBytes(StandardCharsets.ISO_8859_1),
                new byte[] {(byte) 0xff, (byte) 0xd9});
        Path file = TestImages.write(dir, "extra.jpg", padded);

        assertThatThrownBy(() -> JpegDcDecoder.decode(file, 400, 300))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Extraneous data");
        assertThat(JpegDcDecoder.decode(TestImages.write(dir, "plain.jpg", jpeg), 400, 300))
                .isNotNull();
    }

    @Test
    void aHuffmanTableWithMoreCodesThanItsLengthsHoldIsAnError() throws Exception {
        byte[] jpeg = TestImages.jpeg(TestImages.photo(64, 48, 9));
        int dht = 2;
        while (!((jpeg[dht] & 0xff) == 0xff && (jpeg[dht + 1] & 0xff) == 0xc4)) {
            dht++;
        }
        jpeg[dht + 5] = (byte) 200; // 200 codes of one bit, where two fit
        Path file = TestImages.write(dir, "dht.jpg", jpeg);
        assertThatThrownBy(() -> JpegDcDecoder.decode(file, 64, 48))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Invalid Huffman table");
    }

    @Test
    void aFrameOfAnotherSizeThanTheCheckedHeaderIsAnError() throws Exception {
        Path file = TestImages.write(dir, "t.jpg", TestImages.jpeg(TestImages.photo(64, 48, 8)));
        assertThatThrownBy(() -> JpegDcDecoder.decode(file, 64, 49))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not match");
    }

    /** The mean of each 8x8 block (partial blocks at the edges: of the pixels that exist). */
    private static BufferedImage blockMeans(BufferedImage decoded) {
        // Drawn into RGB rather than read with getRGB, which would take 8-bit grey for linear light.
        BufferedImage full = Thumbnails.convert(decoded, BufferedImage.TYPE_INT_RGB);
        int w = (full.getWidth() + 7) / 8;
        int h = (full.getHeight() + 7) / 8;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int by = 0; by < h; by++) {
            for (int bx = 0; bx < w; bx++) {
                long r = 0;
                long g = 0;
                long b = 0;
                int n = 0;
                for (int y = by * 8; y < Math.min(by * 8 + 8, full.getHeight()); y++) {
                    for (int x = bx * 8; x < Math.min(bx * 8 + 8, full.getWidth()); x++) {
                        int rgb = full.getRGB(x, y);
                        r += rgb >> 16 & 0xff;
                        g += rgb >> 8 & 0xff;
                        b += rgb & 0xff;
                        n++;
                    }
                }
                out.setRGB(bx, by, (int) (r / n) << 16 | (int) (g / n) << 8 | (int) (b / n));
            }
        }
        return out;
    }
}
