package dev.parley.attachment.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JPEG's original is cleaned by rewriting its segments: metadata of every kind goes, the compressed pixels are
 * copied byte for byte, and segments shaped to carry other bytes are refused.
 */
class JpegCleaningTest {

    /** What the cleaner writes for a file that had JFIF: version 1.01, no units, 1:1, no thumbnail. */
    private static final byte[] JFIF =
            TestImages.segment(0xe0, new byte[] {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0});

    private final ImagePipeline pipeline = new ImagePipeline(ImageLimits.defaults());

    @TempDir
    Path dir;

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Where the segments after SOI and the JFIF APP0 that ImageIO writes begin. */
    private static int afterApp0(byte[] jpeg) {
        return 4 + ((jpeg[4] & 0xff) << 8 | jpeg[5] & 0xff);
    }

    @ParameterizedTest(name = "progressive {0}")
    @ValueSource(booleans = {false, true})
    void everyKindOfMetadataGoesAndTheCompressedPixelsAreCopiedByteForByte(boolean progressive) throws Exception {
        byte[] plain = TestImages.jpeg(TestImages.photo(640, 480, 4), 2, 2, 0, progressive);
        byte[] hostile = TestImages.concat(
                TestImages.insertAfterApp0(
                        plain,
                        TestImages.exifApp1(1),
                        TestImages.segment(
                                0xe1, ascii("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>PARLEY-XMP</x:xmpmeta>")),
                        TestImages.segment(0xed, ascii("Photoshop 3.0\08BIM\u0004\u0004PARLEY-IPTC-CAPTION")),
                        TestImages.segment(0xe2, ascii("MPF\0PARLEY-MPF")),
                        TestImages.segment(0xef, ascii("PARLEY-APP15")),
                        TestImages.segment(0xfe, ascii("PARLEY-COMMENT"))),
                // What phones append: a second picture (a depth map, a gain map) after EOI.
                ascii("\u00ff\u00d8PARLEY-SECOND-IMAGE\u00ff\u00d9"));
        Path source = TestImages.write(dir, "hostile.jpg", hostile);

        ProcessedImage result = pipeline.process(source, ImageFormat.JPEG, dir);

        byte[] expected = TestImages.concat(
                Arrays.copyOf(plain, 2), JFIF, Arrays.copyOfRange(plain, afterApp0(plain), plain.length));
        assertThat(Files.readAllBytes(result.original())).isEqualTo(expected);
        assertThat(result.originalSize()).isEqualTo(expected.length);
    }

    @Test
    void aCommentBetweenProgressiveScansGoesAndThePixelsStayTheSame() throws Exception {
        byte[] plain = TestImages.jpeg(TestImages.photo(320, 240, 5), 2, 2, 0, true);
        int secondScan = indexOf(
                plain,
                new byte[] {(byte) 0xff, (byte) 0xda},
                indexOf(plain, new byte[] {(byte) 0xff, (byte) 0xda}, 0) + 2);
        byte[] commented = TestImages.concat(
                Arrays.copyOf(plain, secondScan),
                TestImages.segment(0xfe, ascii("PARLEY-BETWEEN-SCANS")),
                Arrays.copyOfRange(plain, secondScan, plain.length));
        Path source = TestImages.write(dir, "commented.jpg", commented);

        ProcessedImage result = pipeline.process(source, ImageFormat.JPEG, dir);

        assertThat(TestImages.contains(result.original(), "PARLEY-BETWEEN-SCANS"))
                .isFalse();
        assertThat(Files.readAllBytes(result.original())).hasSize(plain.length - afterApp0(plain) + 2 + JFIF.length);
        assertThat(TestImages.meanAbsoluteDifference(TestImages.read(result.original()), TestImages.read(source)))
                .isZero();
    }

    /** The Adobe segment says how the components are coded, so it stays, but only its 12 meaningful bytes. */
    @Test
    void jfifAndAdobeAreWrittenAnewOnlyWhenTheFileHadThem() throws Exception {
        byte[] plain = TestImages.jpeg(TestImages.photo(320, 240, 6));
        byte[] noJfif =
                TestImages.concat(Arrays.copyOf(plain, 2), Arrays.copyOfRange(plain, afterApp0(plain), plain.length));
        byte[] adobe =
                TestImages.concat(ascii("Adobe"), new byte[] {0, 101, 0x40, 0, 0, 0, 1}, ascii("PARLEY-ADOBE-EXTRA"));
        Path withAdobe =
                TestImages.write(dir, "adobe.jpg", TestImages.insertAfterApp0(noJfif, TestImages.segment(0xee, adobe)));

        ProcessedImage result = pipeline.process(withAdobe, ImageFormat.JPEG, dir);

        List<TestImages.Segment> metadata = TestImages.jpegMetadata(Files.readAllBytes(result.original()));
        assertThat(metadata).singleElement().satisfies(segment -> {
            assertThat(segment.marker()).isEqualTo(0xee);
            assertThat(segment.payload())
                    .isEqualTo(TestImages.concat(ascii("Adobe"), new byte[] {0, 100, 0, 0, 0, 0, 1}));
        });
        assertThat(TestImages.meanAbsoluteDifference(TestImages.read(result.original()), TestImages.read(withAdobe)))
                .isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "bytes after the last table of a DQT | The JPEG file has a corrupt table.",
                "a second frame header | The JPEG file has more than one frame header.",
                "a sequential scan repeated | The JPEG file codes a component in more than one scan.",
                "a progressive scan repeated | The JPEG file has a progressive scan that repeats or skips bits.",
                "a JPEG-LS frame | The JPEG file uses an unsupported marker (0xF7).",
                "a DNL segment | The JPEG file uses an unsupported marker (0xDC).",
                "stray bytes between segments | The JPEG file has a corrupt segment structure.",
                "bytes after the last block | The JPEG image data is truncated or corrupt.",
                "no EOI | The JPEG file is truncated."
            })
    void segmentsShapedToCarryOtherBytesAreRefused(String damage, String reason) throws Exception {
        boolean progressive = damage.contains("progressive");
        byte[] plain = TestImages.jpeg(TestImages.photo(160, 120, 7), 2, 2, 0, progressive);
        int sos = indexOf(plain, new byte[] {(byte) 0xff, (byte) 0xda}, 0);
        int dqt = indexOf(plain, new byte[] {(byte) 0xff, (byte) 0xdb}, 0);
        int sof = indexOf(plain, new byte[] {(byte) 0xff, progressive ? (byte) 0xc2 : (byte) 0xc0}, 0);
        int eoi = plain.length - 2;
        byte[] bad = switch (damage) {
            case "bytes after the last table of a DQT" -> {
                byte[] copy = TestImages.concat(
                        Arrays.copyOf(plain, dqt + 4 + 65),
                        ascii("PARLEY"),
                        Arrays.copyOfRange(plain, dqt + 4 + 65, plain.length));
                int length = ((copy[dqt + 2] & 0xff) << 8 | copy[dqt + 3] & 0xff) + 6;
                copy[dqt + 2] = (byte) (length >> 8);
                copy[dqt + 3] = (byte) length;
                yield copy;
            }
            case "a second frame header" -> insert(plain, sos, segmentAt(plain, sof));
            case "a sequential scan repeated" -> insert(plain, eoi, Arrays.copyOfRange(plain, sos, eoi));
            case "a progressive scan repeated" ->
                insert(
                        plain,
                        eoi,
                        Arrays.copyOfRange(plain, sos, indexOf(plain, new byte[] {(byte) 0xff, (byte) 0xda}, sos + 2)));
            case "a JPEG-LS frame" -> insert(plain, sos, TestImages.segment(0xf7, new byte[6]));
            case "a DNL segment" -> insert(plain, eoi, TestImages.segment(0xdc, new byte[] {0, 120}));
            case "stray bytes between segments" -> insert(plain, dqt, ascii("PARLEY"));
            case "bytes after the last block" -> insert(plain, eoi, ascii("PARLEY"));
            default -> Arrays.copyOf(plain, eoi);
        };
        Path file = TestImages.write(dir, "bad.jpg", bad);

        assertThatThrownBy(() -> pipeline.process(file, ImageFormat.JPEG, dir))
                .isInstanceOfSatisfying(
                        InvalidImageException.class, e -> assertThat(e.reason()).isEqualTo(reason));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("bad.jpg");
        }
    }

    /** A JPEG is never decoded whole, so the budget reserves 16 bytes per 8x8 block, not 5 per pixel. */
    @Test
    void theMemoryAJpegJobReservesIsCountedPerBlock() throws Exception {
        Path photo = TestImages.write(dir, "photo.jpg", TestImages.jpegHeaderOnly(4000, 3000));
        assertThat(pipeline.inspect(photo, ImageFormat.JPEG).workingBytes()).isEqualTo(500L * 375 * 16);
    }

    private static byte[] insert(byte[] jpeg, int at, byte[] bytes) {
        return TestImages.concat(Arrays.copyOf(jpeg, at), bytes, Arrays.copyOfRange(jpeg, at, jpeg.length));
    }

    private static byte[] segmentAt(byte[] jpeg, int at) {
        int length = (jpeg[at + 2] & 0xff) << 8 | jpeg[at + 3] & 0xff;
        return Arrays.copyOfRange(jpeg, at, at + 2 + length);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }
}
