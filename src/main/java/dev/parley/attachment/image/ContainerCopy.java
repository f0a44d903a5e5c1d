package dev.parley.attachment.image;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Byte copying shared by the WebP and GIF container rewriters: bounded buffers, never a whole file in memory. */
final class ContainerCopy {

    private ContainerCopy() {}

    /** Copies exactly {@code n} bytes (EOFException when the input ends first). */
    static void copy(DataInputStream in, OutputStream out, long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 65536)];
        long left = n;
        while (left > 0) {
            int chunk = (int) Math.min(left, buffer.length);
            in.readFully(buffer, 0, chunk);
            out.write(buffer, 0, chunk);
            left -= chunk;
        }
    }
}
