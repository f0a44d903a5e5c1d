package dev.parley.attachment.image;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A JPEG read through one buffer: single bytes, whole marker segments, and entropy-coded data copied in runs
 * between 0xFF bytes rather than a byte at a time. The end of the file is an {@link EOFException}.
 */
final class JpegInput {

    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int len;

    JpegInput(InputStream in) {
        this.in = in;
    }

    int read() throws IOException {
        if (pos == len && !fill()) {
            throw new EOFException("JPEG data ends early");
        }
        return buf[pos++] & 0xff;
    }

    /**
     * The next marker's code, after the stray bytes before it and its fill bytes (0xFF), which libjpeg tolerates.
     */
    int skipToMarker() throws IOException {
        int b = read();
        while (b != 0xff) {
            b = read();
        }
        while (b == 0xff) {
            b = read();
        }
        return b;
    }

    /** A segment's payload: its big-endian length (which counts itself, so at least 2), then that many bytes. */
    byte[] readSegment() throws IOException {
        int length = read() << 8 | read();
        if (length < 2) {
            throw new InvalidImageException("The JPEG file has a corrupt segment structure.");
        }
        byte[] payload = new byte[length - 2];
        for (int at = 0; at < payload.length; ) {
            if (pos == len && !fill()) {
                throw new EOFException("JPEG data ends early");
            }
            int n = Math.min(len - pos, payload.length - at);
            System.arraycopy(buf, pos, payload, at, n);
            pos += n;
            at += n;
        }
        return payload;
    }

    /**
     * Copies a scan's entropy-coded data to {@code out}: data bytes, stuffed zeros (FF 00) and restart markers
     * (FF D0 to D7), fill bytes before a marker left out, as libjpeg skips them. Returns the marker that ends the
     * scan, which is not written.
     */
    int copyEntropyData(OutputStream out) throws IOException {
        while (true) {
            if (pos == len && !fill()) {
                throw new EOFException("JPEG data ends early");
            }
            int start = pos;
            while (pos < len && buf[pos] != (byte) 0xff) {
                pos++;
            }
            out.write(buf, start, pos - start);
            if (pos == len) {
                continue;
            }
            pos++; // the 0xFF
            int next;
            do {
                next = read();
            } while (next == 0xff);
            if (next != 0 && (next < 0xd0 || next > 0xd7)) {
                return next;
            }
            out.write(0xff);
            out.write(next);
        }
    }

    private boolean fill() throws IOException {
        len = in.read(buf, 0, buf.length);
        pos = 0;
        if (len <= 0) {
            len = 0;
            return false;
        }
        return true;
    }
}
