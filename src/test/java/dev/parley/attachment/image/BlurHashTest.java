package dev.parley.attachment.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/**
 * Against the reference C encoder of github.com/woltapp/blurhash (C/encode.c), compiled and run once on the same
 * pixels: {@code blurHashForPixels(4, 3, w, h, rgb, w * 3)}.
 */
class BlurHashTest {

    @Test
    void aGradientMatchesTheReferenceEncoder() {
        BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, (x * 8) << 16 | (y * 10) << 8 | (x * y * 3) % 256);
            }
        }
        assertThat(BlurHash.encode(image, 4, 3)).isEqualTo("LTH27x2nwtX4mCWUjrf6gFfhfRfl");
    }

    @Test
    void hardEdgedQuadrantsMatchTheReferenceEncoder() {
        BufferedImage image = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 20; x++) {
                boolean left = x < 10;
                image.setRGB(x, y, (left ? 230 : 20) << 16 | (y < 10 ? 40 : 200) << 8 | (left ? 30 : 220));
            }
        }
        assertThat(BlurHash.encode(image, 4, 3)).isEqualTo("LiJaNP|-sROamanijsaheqf7fQf7");
    }
}
