package dev.parley.attachment.image;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Fixed-width reads from image headers: big- and little-endian integers, ASCII tags and exact-length reads. */
final class ByteReads {

    private ByteReads() {}

    static void requireLength(byte[] data, int length) throws EOFException {
        if (data.length < length) {
            throw new EOFException();
        }
    }

    static String ascii(byte[] b, int offset, int length) {
        return new String(b, offset, length, StandardCharsets.ISO_8859_1);
    }

    static int be16(byte[] b, int i) {
        return (b[i] & 0xff) << 8 | b[i + 1] & 0xff;
    }

    static int be32(byte[] b, int i) {
        return be16(b, i) << 16 | be16(b, i + 2);
    }

    static int le16(byte[] b, int i) {
        return b[i] & 0xff | (b[i + 1] & 0xff) << 8;
    }

    static int le24(byte[] b, int i) {
        return le16(b, i) | (b[i + 2] & 0xff) << 16;
    }

    static int le32(byte[] b, int i) {
        return le24(b, i) | (b[i + 3] & 0xff) << 24;
    }

    /** Reads exactly {@code n} bytes or throws EOFException. */
    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        requireLength(b, n);
        return b;
    }
}
