package dev.parley.attachment.image;

import java.awt.color.CMMException;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Cleans a JPEG losslessly by rewriting its marker segments; the compressed pixels are copied, never decoded and
 * encoded again (which took ~0.5 s of CPU per 12 MP photo and lost quality each time).
 *
 * <p>Kept byte for byte: what decoding needs (quantisation, Huffman and arithmetic tables, restart interval, the
 * frame header, every scan with its entropy-coded data and restart markers), each checked for structure: a table
 * segment holds whole tables and nothing after them, scans name the frame's components, a sequential frame codes
 * each component once, a progressive scan adds bits no earlier scan coded (libjpeg's rules), so no segment carries
 * bytes a decoder would not read. Dropped: every APPn (Exif with GPS and an embedded thumbnail, XMP, Photoshop
 * IRB, MPF, maker notes), COM, and whatever follows EOI (appended archives, a second image). Written anew from
 * facts the header reader checked, never copied: JFIF when the file had it (it decides how three components are
 * read), Adobe's colour transform when the file had one, a minimal Exif holding only the orientation, and the ICC
 * profile (see {@link #usableProfile}).
 *
 * <p>Orientation stays a tag because the pixels stay as stored: turning them would mean re-encoding every
 * portrait photo a phone takes. Viewers (browsers, Android's and iOS' image libraries) apply the tag; the
 * dimensions reported to clients are the turned ones, as before.
 */
final class JpegSegments {

    /** ICC_PROFILE chunk payload: 65,533 bytes of segment less the 14 of its own header. */
    private static final int ICC_CHUNK = 65_533 - 2 - 14;

    private static final byte[] ICC_SIGNATURE = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);

    private JpegSegments() {}

    /**
     * Writes the cleaned copy of {@code source}, whose header was read as {@code header}, to {@code target}.
     *
     * @throws InvalidImageException when the segment structure is damaged, truncated or uses a marker outside
     *         baseline, extended, progressive and lossless JPEG (hierarchical, DNL, JPEG extensions)
     */
    static void clean(Path source, Path target, ImageHeaders.Header header) {
        try (InputStream file = Files.newInputStream(source);
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16)) {
            new Rewrite(new JpegInput(file), out, header).run();
        } catch (EOFException e) {
            throw new InvalidImageException("The JPEG file is truncated.", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The profile to keep: an RGB profile for three components, a grey one for one, that the JDK's colour engine
     * reads; null otherwise (a decoder would ignore it too). Kept rather than applied, since applying it means
     * decoding and encoding: a Display P3 photo (every recent iPhone's) shows washed out without it. The header
     * fields that say where and when the profile was made (date, device maker and model, profile id) are zeroed.
     */
    static byte[] usableProfile(byte[] profile, int components) {
        if (profile == null || profile.length < 128) {
            return null;
        }
        try {
            int type = ICC_Profile.getInstance(profile).getColorSpaceType();
            int expected = components == 3 ? ColorSpace.TYPE_RGB : ColorSpace.TYPE_GRAY;
            if (type != expected) {
                return null;
            }
        } catch (IllegalArgumentException | CMMException e) {
            return null;
        }
        byte[] scrubbed = profile.clone();
        Arrays.fill(scrubbed, 24, 36, (byte) 0); // creation date and time
        Arrays.fill(scrubbed, 48, 56, (byte) 0); // device manufacturer and model
        Arrays.fill(scrubbed, 84, 100, (byte) 0); // profile id (an MD5 of the rest; zero means "not computed")
        return scrubbed;
    }

    /** One pass over the file: segments in, cleaned segments out. */
    private static final class Rewrite {

        private final JpegInput in;
        private final OutputStream out;
        private final ImageHeaders.Header header;
        private int[] componentIds;
        private boolean progressive;
        private boolean sequentialChecks;
        private boolean[] coded;
        /** Progressive: per component and coefficient, the lowest bit coded so far (-1: none), as libjpeg keeps. */
        private int[][] coefficientBits;

        private boolean jfifWritten;
        private boolean adobeWritten;
        private int scans;

        Rewrite(JpegInput in, OutputStream out, ImageHeaders.Header header) {
            this.in = in;
            this.out = out;
            this.header = header;
        }

        void run() throws IOException {
            if (in.read() != 0xff || in.read() != 0xd8) {
                throw invalid("The JPEG file does not start with SOI.");
            }
            out.write(new byte[] {(byte) 0xff, (byte) 0xd8});
            int marker = nextMarker();
            if (marker == 0xe0) {
                // JFIF comes first, as its specification wants; the segments written anew follow it.
                marker = segment(marker);
            }
            if (header.orientation() != 1) {
                writeSegment(0xe1, orientationExif(header.orientation()));
            }
            writeProfile(usableProfile(header.iccProfile(), header.channels()));
            while (true) {
                if (marker == 0xd9) {
                    if (scans == 0) {
                        throw invalid("The JPEG file has no image data.");
                    }
                    out.write(new byte[] {(byte) 0xff, (byte) 0xd9});
                    return; // whatever follows is dropped
                }
                marker = segment(marker);
            }
        }

        /** Handles one segment (and a scan's data); returns the marker that follows it. */
        private int segment(int marker) throws IOException {
            if (marker >= 0xe0 && marker <= 0xef || marker == 0xfe) {
                byte[] payload = in.readSegment();
                if (marker == 0xe0
                        && !jfifWritten
                        && payload.length >= 5
                        && ByteReads.ascii(payload, 0, 5).equals("JFIF\0")) {
                    // Version 1.01, no units, 1:1, no thumbnail.
                    writeSegment(0xe0, new byte[] {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0});
                    jfifWritten = true;
                } else if (marker == 0xee
                        && !adobeWritten
                        && payload.length >= 12
                        && ByteReads.ascii(payload, 0, 5).equals("Adobe")) {
                    // Version 100, no flags, and the transform: 0 RGB/CMYK, 1 YCbCr, 2 YCCK.
                    writeSegment(0xee, new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, payload[11]});
                    adobeWritten = true;
                }
                return nextMarker();
            }
            switch (marker) {
                case 0xdb, 0xc4, 0xcc -> copyTables(marker, in.readSegment());
                case 0xdd -> {
                    byte[] dri = in.readSegment();
                    if (dri.length != 2) {
                        throw invalid("The JPEG file has a corrupt restart interval.");
                    }
                    writeSegment(marker, dri);
                }
                case 0xda -> {
                    return scan();
                }
                default -> {
                    if (ImageHeaders.isStartOfFrame(marker)
                            && marker != 0xc5
                            && marker != 0xc6
                            && marker != 0xc7
                            && marker != 0xcd
                            && marker != 0xce
                            && marker != 0xcf) {
                        frame(marker, in.readSegment());
                    } else {
                        throw invalid(String.format("The JPEG file uses an unsupported marker (0x%02X).", marker));
                    }
                }
            }
            return nextMarker();
        }

        private void frame(int marker, byte[] sof) throws IOException {
            if (componentIds != null) {
                throw invalid("The JPEG file has more than one frame header.");
            }
            int count = sof.length >= 6 ? sof[5] & 0xff : 0;
            if (count == 0
                    || sof.length != 6 + 3 * count
                    || ByteReads.be16(sof, 1) != header.storedHeight()
                    || ByteReads.be16(sof, 3) != header.storedWidth()) {
                throw invalid("The JPEG frame header is corrupt.");
            }
            componentIds = new int[count];
            for (int i = 0; i < count; i++) {
                componentIds[i] = sof[6 + 3 * i] & 0xff;
            }
            progressive = marker == 0xc2 || marker == 0xca;
            // Lossless frames (C3, CB) put a predictor where the spectral selection would be.
            sequentialChecks = !progressive && marker != 0xc3 && marker != 0xcb;
            coded = new boolean[count];
            coefficientBits = new int[count][64];
            for (int[] bits : coefficientBits) {
                Arrays.fill(bits, -1);
            }
            writeSegment(marker, sof);
        }

        /** DQT, DHT or DAC: whole tables, nothing after the last. */
        private void copyTables(int marker, byte[] payload) throws IOException {
            int at = 0;
            while (at < payload.length) {
                int kind = payload[at] & 0xff;
                int size = switch (marker) {
                    case 0xdb -> 1 + 64 * (1 + (kind >> 4));
                    case 0xc4 -> at + 17 > payload.length ? -1 : huffmanTableSize(payload, at + 1);
                    default -> 2; // DAC: class and id, then the conditioning value
                };
                if (kind >> 4 > 1 || (kind & 15) > 3 || size < 0 || at + size > payload.length) {
                    throw invalid("The JPEG file has a corrupt table.");
                }
                at += size;
            }
            writeSegment(marker, payload);
        }

        /** Class and id, 16 code counts, the symbols; -1 when the counts claim more than 256 symbols. */
        private static int huffmanTableSize(byte[] payload, int counts) {
            int total = 0;
            for (int i = 0; i < 16; i++) {
                total += payload[counts + i] & 0xff;
            }
            return total > 256 ? -1 : 17 + total;
        }

        /** A scan header, checked against the frame and the scans before it, then its data to the next marker. */
        private int scan() throws IOException {
            byte[] sos = in.readSegment();
            if (componentIds == null) {
                throw invalid("The JPEG file has a scan before its frame header.");
            }
            int count = sos.length >= 1 ? sos[0] & 0xff : 0;
            if (count < 1 || count > 4 || sos.length != 4 + 2 * count) {
                throw invalid("The JPEG scan header is corrupt.");
            }
            int[] components = new int[count];
            for (int i = 0; i < count; i++) {
                components[i] = componentIndex(sos[1 + 2 * i] & 0xff);
                for (int j = 0; j < i; j++) {
                    if (components[j] == components[i]) {
                        throw invalid("The JPEG scan header names a component twice.");
                    }
                }
            }
            int ss = sos[1 + 2 * count] & 0xff;
            int se = sos[2 + 2 * count] & 0xff;
            int ah = (sos[3 + 2 * count] & 0xff) >> 4;
            int al = sos[3 + 2 * count] & 15;
            if (progressive) {
                checkProgression(components, ss, se, ah, al);
            } else {
                for (int c : components) {
                    if (coded[c]) {
                        throw invalid("The JPEG file codes a component in more than one scan.");
                    }
                    coded[c] = true;
                }
                if (sequentialChecks && (ss != 0 || se != 63 || ah != 0 || al != 0)) {
                    throw invalid("The JPEG scan header is corrupt.");
                }
            }
            writeSegment(0xda, sos);
            scans++;
            return in.copyEntropyData(out);
        }

        private void checkProgression(int[] components, int ss, int se, int ah, int al) {
            boolean dc = ss == 0;
            if (ss > se
                    || se > 63
                    || dc && se != 0
                    || !dc && components.length != 1
                    || ah > 13
                    || al > 13
                    || ah != 0 && al != ah - 1) {
                throw invalid("The JPEG file has an invalid progressive scan.");
            }
            for (int c : components) {
                int[] bits = coefficientBits[c];
                if (!dc && bits[0] < 0) {
                    throw invalid("The JPEG file has an AC scan before the DC scan of its component.");
                }
                for (int k = ss; k <= se; k++) {
                    if (ah == 0 ? bits[k] >= 0 : bits[k] != ah) {
                        throw invalid("The JPEG file has a progressive scan that repeats or skips bits.");
                    }
                    bits[k] = al;
                }
            }
        }

        private int componentIndex(int id) {
            for (int i = 0; i < componentIds.length; i++) {
                if (componentIds[i] == id) {
                    return i;
                }
            }
            throw invalid("The JPEG scan header names a component the frame does not have.");
        }

        /** The next marker; fill bytes (extra 0xFF) are allowed before it, anything else is not. */
        private int nextMarker() throws IOException {
            if (in.read() != 0xff) {
                throw invalid("The JPEG file has a corrupt segment structure.");
            }
            int marker;
            do {
                marker = in.read();
            } while (marker == 0xff);
            return marker;
        }

        private void writeProfile(byte[] profile) throws IOException {
            if (profile == null) {
                return;
            }
            int chunks = (profile.length + ICC_CHUNK - 1) / ICC_CHUNK;
            for (int i = 0; i < chunks; i++) {
                int from = i * ICC_CHUNK;
                int length = Math.min(ICC_CHUNK, profile.length - from);
                byte[] payload = new byte[14 + length];
                System.arraycopy(ICC_SIGNATURE, 0, payload, 0, ICC_SIGNATURE.length);
                payload[12] = (byte) (i + 1);
                payload[13] = (byte) chunks;
                System.arraycopy(profile, from, payload, 14, length);
                writeSegment(0xe2, payload);
            }
        }

        private void writeSegment(int marker, byte[] payload) throws IOException {
            int length = payload.length + 2;
            out.write(new byte[] {(byte) 0xff, (byte) marker, (byte) (length >> 8), (byte) length});
            out.write(payload);
        }

        private static InvalidImageException invalid(String reason) {
            return new InvalidImageException(reason);
        }
    }

    /** Exif with IFD0 holding one entry, the orientation (big-endian TIFF, SHORT). */
    static byte[] orientationExif(int orientation) {
        return new byte[] {
            'E',
            'x',
            'i',
            'f',
            0,
            0,
            'M',
            'M',
            0,
            42,
            0,
            0,
            0,
            8,
            0,
            1,
            0x01,
            0x12,
            0,
            3,
            0,
            0,
            0,
            1,
            0,
            (byte) orientation,
            0,
            0,
            0,
            0,
            0,
            0
        };
    }
}
