package dev.parley.attachment.image;

import java.awt.image.BufferedImage;

/**
 * The BlurHash encoder (https://blurha.sh, the algorithm of the reference C implementation): a few DCT components
 * of the image in linear light, quantised and written in base 83. Parley uses 4 x 3 components.
 */
final class BlurHash {

    private static final String DIGITS =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";
    private static final double[] SRGB_TO_LINEAR = new double[256];

    static {
        for (int i = 0; i < 256; i++) {
            double v = i / 255.0;
            SRGB_TO_LINEAR[i] = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
        }
    }

    private BlurHash() {}

    static String encode(BufferedImage image, int xComponents, int yComponents) {
        if (xComponents < 1 || xComponents > 9 || yComponents < 1 || yComponents > 9) {
            throw new IllegalArgumentException("BlurHash components must be 1 to 9");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        double[][] cosX = cosines(xComponents, w);
        double[][] cosY = cosines(yComponents, h);
        double[] factors = new double[xComponents * yComponents * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int rgb = row[x];
                double r = SRGB_TO_LINEAR[rgb >> 16 & 0xff];
                double g = SRGB_TO_LINEAR[rgb >> 8 & 0xff];
                double b = SRGB_TO_LINEAR[rgb & 0xff];
                for (int j = 0, f = 0; j < yComponents; j++) {
                    double cy = cosY[j][y];
                    for (int i = 0; i < xComponents; i++, f += 3) {
                        double basis = cosX[i][x] * cy;
                        factors[f] += basis * r;
                        factors[f + 1] += basis * g;
                        factors[f + 2] += basis * b;
                    }
                }
            }
        }
        for (int f = 0; f < factors.length; f++) {
            factors[f] *= (f < 3 ? 1.0 : 2.0) / ((double) w * h);
        }

        StringBuilder hash = new StringBuilder();
        base83(hash, (xComponents - 1) + (yComponents - 1) * 9, 1);
        double maximum = 1;
        if (factors.length > 3) {
            double actual = 0;
            for (int f = 3; f < factors.length; f++) {
                actual = Math.max(actual, Math.abs(factors[f]));
            }
            int quantised = (int) Math.max(0, Math.min(82, Math.floor(actual * 83 - 0.5)));
            maximum = (quantised + 1) / 83.0;
            base83(hash, quantised, 1);
        } else {
            base83(hash, 0, 1);
        }
        base83(hash, linearToSrgb(factors[0]) << 16 | linearToSrgb(factors[1]) << 8 | linearToSrgb(factors[2]), 4);
        for (int f = 3; f < factors.length; f += 3) {
            base83(
                    hash,
                    quantiseAc(factors[f], maximum) * 19 * 19
                            + quantiseAc(factors[f + 1], maximum) * 19
                            + quantiseAc(factors[f + 2], maximum),
                    2);
        }
        return hash.toString();
    }

    private static double[][] cosines(int components, int size) {
        double[][] table = new double[components][size];
        for (int c = 0; c < components; c++) {
            for (int p = 0; p < size; p++) {
                table[c][p] = Math.cos(Math.PI * c * p / size);
            }
        }
        return table;
    }

    private static int quantiseAc(double value, double maximum) {
        double v = value / maximum;
        double signPow = Math.copySign(Math.sqrt(Math.abs(v)), v);
        return (int) Math.max(0, Math.min(18, Math.floor(signPow * 9 + 9.5)));
    }

    private static int linearToSrgb(double value) {
        double v = Math.max(0, Math.min(1, value));
        return v <= 0.0031308
                ? (int) (v * 12.92 * 255 + 0.5)
                : (int) ((1.055 * Math.pow(v, 1 / 2.4) - 0.055) * 255 + 0.5);
    }

    private static void base83(StringBuilder out, int value, int length) {
        int divisor = 1;
        for (int i = 1; i < length; i++) {
            divisor *= 83;
        }
        for (int i = 0; i < length; i++) {
            out.append(DIGITS.charAt(value / divisor % 83));
            divisor /= 83;
        }
    }
}
