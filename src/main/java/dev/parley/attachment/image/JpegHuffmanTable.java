package dev.parley.attachment.image;

import java.io.IOException;

/**
 * One JPEG Huffman table (ITU T.81 annex C): a 9-bit lookup for the short codes most symbols use, and the
 * canonical maxcode/valptr walk (annex F.2.2.3) for longer ones.
 */
final class JpegHuffmanTable {

    static final int LOOKUP_BITS = 9;

    final int[] lookup = new int[1 << LOOKUP_BITS]; // (length << 8 | symbol), 0 when longer than 9 bits
    final int[] maxCode = new int[18];
    final int[] valPtr = new int[17];
    final int[] minCode = new int[17];
    final int[] symbols;

    JpegHuffmanTable(int[] counts, int[] symbols) throws IOException {
        this.symbols = symbols;
        int code = 0;
        int k = 0;
        for (int len = 1; len <= 16; len++) {
            valPtr[len] = k;
            minCode[len] = code;
            for (int i = 0; i < counts[len]; i++, k++, code++) {
                if (code >= 1 << len) {
                    throw new IOException("Invalid Huffman table: more codes than " + len + " bits hold");
                }
                if (len <= LOOKUP_BITS) {
                    int shift = LOOKUP_BITS - len;
                    for (int fill = 0; fill < 1 << shift; fill++) {
                        lookup[(code << shift) | fill] = len << 8 | symbols[k];
                    }
                }
            }
            maxCode[len] = counts[len] == 0 ? -1 : code - 1;
            code <<= 1;
        }
        maxCode[17] = Integer.MAX_VALUE;
    }
}
