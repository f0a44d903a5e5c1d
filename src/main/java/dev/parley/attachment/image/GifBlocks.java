package dev.parley.attachment.image;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Rewrites a GIF's block stream keeping what draws and animates it: header, logical screen descriptor, colour
 * tables, graphic control extensions, image blocks and the NETSCAPE2.0 loop extension. Comments, plain text and
 * other application extensions (XMP among them) and anything after the trailer are dropped. Re-encoding would
 * lose the animation; this keeps every frame byte for byte.
 */
final class GifBlocks {

    private static final int EXTENSION = 0x21;
    private static final int IMAGE = 0x2c;
    private static final int TRAILER = 0x3b;
    private static final int GRAPHIC_CONTROL = 0xf9;
    private static final int APPLICATION = 0xff;

    private GifBlocks() {}

    /** @return the number of frames */
    static int clean(Path source, Path target, long maxPixels) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(source), 65536));
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 65536)) {
            byte[] screen = ByteReads.readExactly(in, 13);
            out.write(screen);
            copyColorTable(in, out, screen[10]);
            int frames = 0;
            while (true) {
                int block = in.readUnsignedByte();
                if (block == TRAILER) {
                    out.write(TRAILER);
                    break;
                } else if (block == IMAGE) {
                    byte[] descriptor = ByteReads.readExactly(in, 9);
                    ImageHeaders.checkDimensions(
                            ByteReads.le16(descriptor, 4), ByteReads.le16(descriptor, 6), maxPixels);
                    out.write(IMAGE);
                    out.write(descriptor);
                    copyColorTable(in, out, descriptor[8]);
                    out.write(in.readUnsignedByte()); // LZW minimum code size
                    subBlocks(in, out);
                    frames++;
                } else if (block == EXTENSION) {
                    extension(in, out);
                } else {
                    throw new InvalidImageException("The GIF file has a corrupt block structure.");
                }
            }
            if (frames == 0) {
                throw new InvalidImageException("The GIF file holds no image.");
            }
            return frames;
        } catch (EOFException e) {
            throw new InvalidImageException("The GIF file is truncated.", e);
        } catch (IOException e) {
            throw new IllegalStateException("Could not rewrite the GIF file", e);
        }
    }

    private static void extension(DataInputStream in, OutputStream out) throws IOException {
        int label = in.readUnsignedByte();
        if (label == GRAPHIC_CONTROL) {
            out.write(EXTENSION);
            out.write(label);
            subBlocks(in, out);
            return;
        }
        if (label == APPLICATION) {
            int length = in.readUnsignedByte();
            byte[] id = ByteReads.readExactly(in, length);
            if (length == 11 && new String(id, StandardCharsets.ISO_8859_1).equals("NETSCAPE2.0")) {
                out.write(EXTENSION);
                out.write(label);
                out.write(length);
                out.write(id);
                subBlocks(in, out);
                return;
            }
        }
        subBlocks(in, OutputStream.nullOutputStream());
    }

    /** Data sub-blocks: a length byte, that many bytes, until a zero length. */
    private static void subBlocks(DataInputStream in, OutputStream out) throws IOException {
        int length;
        do {
            length = in.readUnsignedByte();
            out.write(length);
            ContainerCopy.copy(in, out, length);
        } while (length != 0);
    }

    private static void copyColorTable(DataInputStream in, OutputStream out, byte packed) throws IOException {
        if ((packed & 0x80) != 0) {
            ContainerCopy.copy(in, out, 3L << ((packed & 7) + 1));
        }
    }
}
