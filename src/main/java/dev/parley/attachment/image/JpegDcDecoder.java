package dev.parley.attachment.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Decodes a baseline (sequential Huffman, 8-bit) JPEG at 1/8 scale: every coefficient is entropy-decoded, but only
 * the DC coefficient of each 8x8 block is kept, and the DC term alone is the block's mean, so no inverse DCT is
 * needed. This is the shrink-on-load that libjpeg offers and the JDK's decoder does not; a thumbnail of a 12 MP
 * photo then costs the Huffman decoding and a 500x375 image instead of a full 12 MP decode.
 *
 * <p>Progressive JPEGs need even less: their first scan holds all DC coefficients, so only that scan is read.
 *
 * <p>It returns null for what it leaves to ImageIO: arithmetic or lossless coding, 12-bit samples, CMYK or RGB
 * colour, one component per scan (sequential or a progressive first scan), a missing frame height. Damaged data is
 * an IOException. This class reads the marker segments and lays out the blocks; {@link JpegEntropyReader} decodes
 * the scan's bits.
 */
final class JpegDcDecoder {

    private record Component(int id, int h, int v, int tq) {}

    private final JpegInput in;

    private JpegDcDecoder(InputStream in) {
        this.in = new JpegInput(in);
    }

    /**
     * The image at 1/8 scale (ceil(width/8) x ceil(height/8)) as TYPE_INT_RGB, or null when unsupported. The frame
     * must have the size the header check saw, so what it allocates was counted against the pixel limit.
     */
    static BufferedImage decode(Path file, int expectedWidth, int expectedHeight) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new JpegDcDecoder(in).decode(expectedWidth, expectedHeight);
        }
    }

    private BufferedImage decode(int expectedWidth, int expectedHeight) throws IOException {
        if (readByte() != 0xff || readByte() != 0xd8) {
            throw new IOException("Not a JPEG");
        }
        int[] dcQuant = new int[4];
        JpegHuffmanTable[] dcTables = new JpegHuffmanTable[4];
        JpegHuffmanTable[] acTables = new JpegHuffmanTable[4];
        Component[] frame = null;
        int width = 0;
        int height = 0;
        int restartInterval = 0;
        boolean adobeRgb = false;
        boolean progressive = false;
        while (true) {
            int marker = nextMarker();
            switch (marker) {
                case 0xc0, 0xc1, 0xc2 -> {
                    progressive = marker == 0xc2;
                    int length = readUnsignedShort();
                    int precision = readByte();
                    height = readUnsignedShort();
                    width = readUnsignedShort();
                    if (frame != null || width != expectedWidth || height != expectedHeight) {
                        throw new IOException("Frame header does not match the checked one");
                    }
                    int count = readByte();
                    if (precision != 8
                            || height == 0
                            || width == 0
                            || (count != 1 && count != 3)
                            || length != 8 + 3 * count) {
                        return null;
                    }
                    frame = new Component[count];
                    for (int i = 0; i < count; i++) {
                        int id = readByte();
                        int hv = readByte();
                        int tq = readByte();
                        if (hv >> 4 < 1 || hv >> 4 > 4 || (hv & 15) < 1 || (hv & 15) > 4 || tq > 3) {
                            return null;
                        }
                        frame[i] = new Component(id, hv >> 4, hv & 15, tq);
                    }
                }
                case 0xc4 -> readHuffmanTables(dcTables, acTables);
                case 0xdb -> readQuantTables(dcQuant);
                case 0xdd -> {
                    readUnsignedShort();
                    restartInterval = readUnsignedShort();
                }
                case 0xee -> adobeRgb = readAdobeTransformIsRgb();
                case 0xda -> {
                    if (frame == null
                            || adobeRgb
                            || frame.length == 3
                                    && frame[0].id() == 'R'
                                    && frame[1].id() == 'G'
                                    && frame[2].id() == 'B') {
                        return null;
                    }
                    return readScan(frame, width, height, restartInterval, dcQuant, dcTables, acTables, progressive);
                }
                case 0xd9 -> throw new IOException("No scan before the end of the image");
                default -> {
                    if (ImageHeaders.isStartOfFrame(marker)) {
                        return null; // lossless or arithmetic coding
                    }
                    skip(readUnsignedShort() - 2);
                }
            }
        }
    }

    /**
     * Decodes the first scan. Baseline: the one scan holds every coefficient. Progressive: the first scan holds
     * the DC coefficients of all components (libjpeg's default script), without their lowest {@code Al} bits.
     */
    private BufferedImage readScan(
            Component[] frame,
            int width,
            int height,
            int restartInterval,
            int[] dcQuant,
            JpegHuffmanTable[] dcTables,
            JpegHuffmanTable[] acTables,
            boolean progressive)
            throws IOException {
        int length = readUnsignedShort();
        int count = readByte();
        if (count != frame.length || length != 6 + 2 * count) {
            return null; // one component per scan: legal in sequential mode, rare, left to ImageIO
        }
        JpegHuffmanTable[] dc = new JpegHuffmanTable[count];
        JpegHuffmanTable[] ac = new JpegHuffmanTable[count];
        int[] quant = new int[count];
        for (int i = 0; i < count; i++) {
            int id = readByte();
            int tables = readByte();
            if (frame[i].id() != id
                    || dcTables[tables >> 4 & 3] == null
                    || !progressive && acTables[tables & 3] == null) {
                return null;
            }
            dc[i] = dcTables[tables >> 4 & 3];
            ac[i] = acTables[tables & 3];
            quant[i] = dcQuant[frame[i].tq()];
        }
        int spectralStart = readByte();
        int spectralEnd = readByte();
        int approximation = readByte();
        if (progressive && (spectralStart != 0 || spectralEnd != 0 || approximation >> 4 != 0)) {
            return null; // not a first DC scan
        }
        int pointTransform = progressive ? approximation & 15 : 0;

        int hMax = 1;
        int vMax = 1;
        for (Component c : frame) {
            hMax = Math.max(hMax, c.h());
            vMax = Math.max(vMax, c.v());
        }
        int mcuX = ceilDiv(width, 8 * hMax);
        int mcuY = ceilDiv(height, 8 * vMax);
        boolean single = count == 1;
        int[] stride = new int[count];
        byte[][] planes = new byte[count][];
        for (int c = 0; c < count; c++) {
            // A single-component scan is not interleaved: its blocks cover the image and nothing more.
            stride[c] = single ? ceilDiv(width, 8) : mcuX * frame[c].h();
            planes[c] = new byte[stride[c] * (single ? ceilDiv(height, 8) : mcuY * frame[c].v())];
        }
        int units = single ? ceilDiv(width, 8) * ceilDiv(height, 8) : mcuX * mcuY;
        int unitsPerRow = single ? ceilDiv(width, 8) : mcuX;
        int[] predictor = new int[count];
        JpegEntropyReader entropy = new JpegEntropyReader(in);
        for (int unit = 0; unit < units; unit++) {
            if (restartInterval > 0 && unit > 0 && unit % restartInterval == 0) {
                entropy.restart();
                Arrays.fill(predictor, 0);
            }
            int row = unit / unitsPerRow;
            int col = unit % unitsPerRow;
            for (int c = 0; c < count; c++) {
                int hs = single ? 1 : frame[c].h();
                int vs = single ? 1 : frame[c].v();
                for (int by = 0; by < vs; by++) {
                    for (int bx = 0; bx < hs; bx++) {
                        predictor[c] += entropy.decodeDc(dc[c]);
                        if (!progressive) {
                            entropy.skipAc(ac[c]);
                        }
                        // 128 + round(DC / 8)
                        int value = ((predictor[c] << pointTransform) * quant[c] + 1028) >> 3;
                        planes[c][(row * vs + by) * stride[c] + col * hs + bx] =
                                (byte) (value < 0 ? 0 : Math.min(value, 255));
                    }
                }
            }
        }
        entropy.finish();
        return toImage(frame, planes, stride, ceilDiv(width, 8), ceilDiv(height, 8), hMax, vMax);
    }

    private static BufferedImage toImage(
            Component[] frame, byte[][] planes, int[] stride, int w, int h, int hMax, int vMax) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        if (frame.length == 1) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int g = planes[0][y * stride[0] + x] & 0xff;
                    out[y * w + x] = g << 16 | g << 8 | g;
                }
            }
            return image;
        }
        for (int y = 0; y < h; y++) {
            int yRow = y * frame[0].v() / vMax * stride[0];
            int cbRow = y * frame[1].v() / vMax * stride[1];
            int crRow = y * frame[2].v() / vMax * stride[2];
            for (int x = 0; x < w; x++) {
                int lum = planes[0][yRow + x * frame[0].h() / hMax] & 0xff;
                int cb = (planes[1][cbRow + x * frame[1].h() / hMax] & 0xff) - 128;
                int cr = (planes[2][crRow + x * frame[2].h() / hMax] & 0xff) - 128;
                // JFIF YCbCr to RGB in 16.16 fixed point.
                int r = lum + ((91881 * cr + 32768) >> 16);
                int g = lum - ((22554 * cb + 46802 * cr - 32768) >> 16);
                int b = lum + ((116130 * cb + 32768) >> 16);
                out[y * w + x] = clamp(r) << 16 | clamp(g) << 8 | clamp(b);
            }
        }
        return image;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    // ---- marker segments ----

    private void readHuffmanTables(JpegHuffmanTable[] dcTables, JpegHuffmanTable[] acTables) throws IOException {
        int left = readUnsignedShort() - 2;
        while (left > 0) {
            int classAndId = readByte();
            int[] counts = new int[17];
            int total = 0;
            for (int len = 1; len <= 16; len++) {
                counts[len] = readByte();
                total += counts[len];
            }
            if (total > 256 || (classAndId & 15) > 3) {
                throw new IOException("Invalid Huffman table");
            }
            int[] symbols = new int[total];
            for (int i = 0; i < total; i++) {
                symbols[i] = readByte();
            }
            JpegHuffmanTable table = new JpegHuffmanTable(counts, symbols);
            if (classAndId >> 4 == 0) {
                dcTables[classAndId & 15] = table;
            } else {
                acTables[classAndId & 15] = table;
            }
            left -= 17 + total;
        }
    }

    private void readQuantTables(int[] dcQuant) throws IOException {
        int left = readUnsignedShort() - 2;
        while (left > 0) {
            int precisionAndId = readByte();
            boolean wide = precisionAndId >> 4 != 0;
            dcQuant[precisionAndId & 3] = wide ? readUnsignedShort() : readByte();
            skip(wide ? 126 : 63);
            left -= wide ? 129 : 65;
        }
    }

    /** APP14 "Adobe" with transform 0 means the three components are RGB, not YCbCr. */
    private boolean readAdobeTransformIsRgb() throws IOException {
        byte[] data = in.readSegment();
        return data.length >= 12 && ByteReads.ascii(data, 0, 5).equals("Adobe") && data[11] == 0;
    }

    private int nextMarker() throws IOException {
        return in.skipToMarker();
    }

    private int readByte() throws IOException {
        return in.read();
    }

    private int readUnsignedShort() throws IOException {
        return readByte() << 8 | readByte();
    }

    private void skip(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            readByte();
        }
    }
}
