package dev.parley.attachment.image;

import java.io.IOException;

/**
 * Reads one scan's entropy-coded data for {@link JpegDcDecoder}: Huffman symbols, DC differences, AC coefficients
 * skipped, restart intervals. Bits are kept left-aligned in a 64-bit accumulator; once a marker is reached, zeros
 * are fed in its place (as libjpeg does) and counted, so that data ending early is told apart from padding.
 */
final class JpegEntropyReader {

    private final JpegInput in;

    private long acc;
    private int bits;
    private int padBits;
    private int pendingMarker = -1;

    JpegEntropyReader(JpegInput in) {
        this.in = in;
    }

    /** One block's DC difference. */
    int decodeDc(JpegHuffmanTable table) throws IOException {
        int size = decodeSymbol(table);
        if (size == 0) {
            return 0;
        }
        if (size > 11) {
            throw new IOException("Invalid DC difference size");
        }
        return extend(take(size), size);
    }

    /** Reads past one block's AC coefficients, which a 1/8-scale decode does not need. */
    void skipAc(JpegHuffmanTable table) throws IOException {
        for (int k = 1; k < 64; ) {
            int rs = decodeSymbol(table);
            int run = rs >> 4;
            int size = rs & 15;
            if (size == 0) {
                if (run != 15) {
                    return; // end of block
                }
                k += 16;
            } else {
                k += run + 1;
                take(size);
            }
        }
    }

    /** Ends a restart interval: the rest of the byte is padding, then an RSTn marker must follow. */
    void restart() throws IOException {
        if (bits < padBits) {
            throw new IOException("Entropy-coded data ended early");
        }
        if (pendingMarker < 0) {
            pendingMarker = in.skipToMarker();
        }
        if (pendingMarker < 0xd0 || pendingMarker > 0xd7) {
            throw new IOException("Missing restart marker");
        }
        pendingMarker = -1;
        acc = 0;
        bits = 0;
        padBits = 0;
    }

    /**
     * Checks the end of the scan: every block was read from data, not padding, and after the last block only the
     * padding to a whole byte comes before the next marker; more is what libjpeg warns of as extraneous bytes, and
     * damage or a payload to this decoder.
     */
    void finish() throws IOException {
        if (bits < padBits) {
            throw new IOException("Entropy-coded data ended early");
        }
        if (pendingMarker < 0) {
            fill();
        }
        if (bits - padBits >= 8) {
            throw new IOException("Extraneous data after the last block");
        }
    }

    private int decodeSymbol(JpegHuffmanTable table) throws IOException {
        if (bits < 32) {
            fill();
        }
        int entry = table.lookup[(int) (acc >>> (64 - JpegHuffmanTable.LOOKUP_BITS))];
        if (entry != 0) {
            consume(entry >> 8);
            return entry & 0xff;
        }
        for (int len = JpegHuffmanTable.LOOKUP_BITS + 1; len <= 16; len++) {
            int code = (int) (acc >>> (64 - len));
            if (code <= table.maxCode[len]) {
                consume(len);
                return table.symbols[table.valPtr[len] + code - table.minCode[len]];
            }
        }
        throw new IOException("Invalid Huffman code");
    }

    private int take(int n) throws IOException {
        if (bits < n) {
            fill();
        }
        int value = (int) (acc >>> (64 - n));
        consume(n);
        return value;
    }

    private void consume(int n) {
        acc <<= n;
        bits -= n;
    }

    private static int extend(int value, int size) {
        return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
    }

    private void fill() throws IOException {
        while (bits <= 56) {
            int b;
            if (pendingMarker >= 0) {
                b = 0;
                padBits += 8;
            } else {
                b = in.read();
                if (b == 0xff) {
                    int next = in.read();
                    while (next == 0xff) {
                        next = in.read();
                    }
                    if (next != 0) {
                        pendingMarker = next;
                        b = 0;
                        padBits += 8;
                    }
                }
            }
            acc |= (long) b << (56 - bits);
            bits += 8;
        }
    }
}
