package dev.parley.attachment.image;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Rewrites a WebP file keeping only the chunks that make the picture (VP8, VP8L, VP8X, ALPH, ANIM, ANMF, ICCP).
 * EXIF, XMP and unknown chunks, unknown chunks inside animation frames and every byte after the RIFF size are
 * dropped, and VP8X no longer announces EXIF or XMP. The JDK cannot encode WebP, so this is how a WebP original
 * is cleaned; the caller decodes the result to prove it is still an image. Every bitstream's own dimensions are
 * checked against the pixel limit too: the header check saw only the canvas, and a frame may claim more.
 */
final class WebpContainer {

    private static final Set<String> KEPT = Set.of("VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP");
    private static final Set<String> FRAME_KEPT = Set.of("VP8 ", "VP8L", "ALPH");
    private static final int VP8X_EXIF_AND_XMP = 0x08 | 0x04;

    private WebpContainer() {}

    static void clean(Path source, Path target, long maxPixels) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(source), 65536));
                FileChannel channel = FileChannel.open(
                        target,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(channel);
            byte[] head = ByteReads.readExactly(in, 12);
            long riffEnd = 8 + (ByteReads.le32(head, 4) & 0xffffffffL);
            if (riffEnd > Files.size(source)) {
                throw new InvalidImageException("The WebP file is truncated.");
            }
            out.write(head, 0, 12);
            boolean picture = false;
            long pos = 12;
            while (riffEnd - pos >= 8) {
                byte[] header = ByteReads.readExactly(in, 8);
                String fourcc = new String(header, 0, 4, StandardCharsets.ISO_8859_1);
                long size = ByteReads.le32(header, 4) & 0xffffffffL;
                long padded = Math.min(size + (size & 1), riffEnd - pos - 8);
                if (padded < size) {
                    throw new InvalidImageException("The WebP file is truncated.");
                }
                if (fourcc.equals("VP8X")) {
                    byte[] vp8x = ByteReads.readExactly(in, (int) Math.min(padded, 64));
                    vp8x[0] &= (byte) ~VP8X_EXIF_AND_XMP;
                    out.write(header);
                    out.write(vp8x);
                    in.skipNBytes(padded - vp8x.length);
                } else if (fourcc.equals("ANMF")) {
                    copyFrame(in, channel, out, header, padded, maxPixels);
                    picture = true;
                } else if (KEPT.contains(fourcc)) {
                    out.write(header);
                    copyChunk(in, out, fourcc, padded, maxPixels);
                    picture |= !fourcc.equals("ANIM") && !fourcc.equals("ICCP");
                } else {
                    in.skipNBytes(padded);
                }
                pos += 8 + padded;
            }
            if (!picture) {
                throw new InvalidImageException("The WebP file holds no image data.");
            }
            patchSize(channel, 4, channel.size() - 8);
        } catch (EOFException e) {
            throw new InvalidImageException("The WebP file is truncated.", e);
        } catch (IOException e) {
            throw new IllegalStateException("Could not rewrite the WebP file", e);
        }
    }

    /** An animation frame: its 16-byte header, then only its alpha and bitstream sub-chunks. */
    private static void copyFrame(
            DataInputStream in, FileChannel channel, OutputStream out, byte[] header, long padded, long maxPixels)
            throws IOException {
        if (padded < 16) {
            throw new InvalidImageException("The WebP animation frame is corrupt.");
        }
        long start = channel.position();
        out.write(header);
        byte[] frame = ByteReads.readExactly(in, 16);
        ImageHeaders.checkDimensions(ByteReads.le24(frame, 6) + 1L, ByteReads.le24(frame, 9) + 1L, maxPixels);
        out.write(frame);
        long left = padded - 16;
        while (left >= 8) {
            byte[] sub = ByteReads.readExactly(in, 8);
            long size = ByteReads.le32(sub, 4) & 0xffffffffL;
            long subPadded = Math.min(size + (size & 1), left - 8);
            if (subPadded < size) {
                throw new InvalidImageException("The WebP animation frame is corrupt.");
            }
            String fourcc = new String(sub, 0, 4, StandardCharsets.ISO_8859_1);
            if (FRAME_KEPT.contains(fourcc)) {
                out.write(sub);
                copyChunk(in, out, fourcc, subPadded, maxPixels);
            } else {
                in.skipNBytes(subPadded);
            }
            left -= 8 + subPadded;
        }
        in.skipNBytes(left);
        long end = channel.position();
        patchSize(channel, start + 4, end - start - 8);
        channel.position(end);
    }

    /** Copies a chunk's payload; a VP8 or VP8L bitstream's dimensions must be within the limit. */
    private static void copyChunk(DataInputStream in, OutputStream out, String fourcc, long padded, long maxPixels)
            throws IOException {
        if (fourcc.equals("VP8 ") || fourcc.equals("VP8L")) {
            byte[] start = ByteReads.readExactly(in, (int) Math.min(padded, 10));
            long[] size = ImageHeaders.webpBitstreamSize(fourcc, start);
            ImageHeaders.checkDimensions(size[0], size[1], maxPixels);
            out.write(start);
            ContainerCopy.copy(in, out, padded - start.length);
        } else {
            ContainerCopy.copy(in, out, padded);
        }
    }

    private static void patchSize(FileChannel channel, long at, long size) throws IOException {
        ByteBuffer le = ByteBuffer.allocate(4);
        le.put(0, (byte) size)
                .put(1, (byte) (size >> 8))
                .put(2, (byte) (size >> 16))
                .put(3, (byte) (size >> 24));
        channel.write(le, at);
    }
}
