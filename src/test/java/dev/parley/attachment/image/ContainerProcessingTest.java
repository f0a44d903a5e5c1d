package dev.parley.attachment.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** WebP and GIF: the container is rewritten (the JDK cannot encode WebP; re-encoding GIF loses animation). */
class ContainerProcessingTest {

    private final ImagePipeline pipeline = new ImagePipeline(ImageLimits.defaults());

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"lossy.webp,image/jpeg", "lossless.webp,image/jpeg", "alpha.webp,image/png", "animated.webp,image/jpeg"
    })
    void realWebpFilesAreProcessed(String fixture, String thumbnailType) throws Exception {
        Path source = TestImages.write(dir, fixture, TestImages.resource(fixture));

        ProcessedImage result = pipeline.process(source, ImageFormat.WEBP, dir);

        assertThat(result.width()).isEqualTo(64);
        assertThat(result.height()).isEqualTo(48);
        assertThat(result.thumbnailMimeType()).isEqualTo(thumbnailType);
        assertThat(TestImages.read(result.thumbnail()).getWidth()).isEqualTo(64);
        assertThat(TestImages.read(result.original()).getWidth())
                .as("the rewritten file decodes")
                .isEqualTo(64);
        BufferedImage thumbnail = TestImages.read(result.thumbnail());
        int red = thumbnail.getRGB(52, 36);
        assertThat(red >> 16 & 0xff).as("the red block of the first frame").isGreaterThan(200);
        assertThat(red >> 8 & 0xff).isLessThan(60);
    }

    @Test
    void webpExifXmpAndTrailingBytesAreDroppedAndTheResultStillDecodes() throws Exception {
        Path source = TestImages.write(dir, "meta.webp", TestImages.resource("metadata-and-trailing.webp"));
        assertThat(TestImages.contains(source, "PARLEY-EXIF-SECRET"))
                .as("fixture carries EXIF")
                .isTrue();

        ProcessedImage result = pipeline.process(source, ImageFormat.WEBP, dir);

        byte[] clean = Files.readAllBytes(result.original());
        for (String gone : new String[] {
            "PARLEY-EXIF-SECRET",
            "GPSLatitude",
            "PARLEY-XMP-SECRET",
            "PARLEY-TRAILING-SECRET",
            "<script>",
            "EXIF",
            "XMP "
        }) {
            assertThat(TestImages.contains(result.original(), gone)).as(gone).isFalse();
        }
        assertThat(ByteReads.le32(clean, 4))
                .as("RIFF size covers exactly the rest")
                .isEqualTo(clean.length - 8);
        assertThat(ByteReads.ascii(clean, 12, 4)).isEqualTo("VP8X");
        assertThat(clean[20] & 0x0c).as("VP8X no longer announces EXIF or XMP").isZero();
        assertThat(TestImages.contains(result.original(), "VP8 ")).isTrue();
        assertThat(TestImages.read(result.original()).getHeight()).isEqualTo(48);
    }

    @Test
    void aWebpBitstreamClaimingMorePixelsThanItsCanvasIsRefusedBeforeDecoding() throws Exception {
        // VP8X canvas 64x48 (passes the header check), then a VP8L stream claiming 16384x16384.
        byte[] vp8x = {0, 0, 0, 0, 63, 0, 0, 47, 0, 0};
        int bits = 16383 | 16383 << 14;
        byte[] vp8l = {0x2f, (byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24), 0, 0, 0};
        byte[] body = TestImages.concat(
                "WEBP".getBytes(StandardCharsets.ISO_8859_1), riffChunk("VP8X", vp8x), riffChunk("VP8L", vp8l));
        Path bomb = TestImages.write(
                dir,
                "bomb.webp",
                TestImages.concat(
                        "RIFF".getBytes(StandardCharsets.ISO_8859_1),
                        new byte[] {(byte) body.length, (byte) (body.length >> 8), 0, 0},
                        body));
        assertThat(pipeline.inspect(bomb, ImageFormat.WEBP).pixels()).isEqualTo(64 * 48);

        assertThatThrownBy(() -> pipeline.process(bomb, ImageFormat.WEBP, dir))
                .isInstanceOfSatisfying(
                        InvalidImageException.class,
                        e -> assertThat(e.reason())
                                .isEqualTo("The image is 16384x16384 pixels; at most 40000000 pixels are allowed."));
    }

    private static byte[] riffChunk(String fourcc, byte[] data) {
        return TestImages.concat(
                fourcc.getBytes(StandardCharsets.ISO_8859_1),
                new byte[] {(byte) data.length, (byte) (data.length >> 8), 0, 0},
                data,
                new byte[data.length % 2]);
    }

    @Test
    void anAnimatedWebpKeepsItsFrames() throws Exception {
        Path source = TestImages.write(dir, "animated.webp", TestImages.resource("animated.webp"));

        ProcessedImage result = pipeline.process(source, ImageFormat.WEBP, dir);

        assertThat(Files.readAllBytes(result.original())).isEqualTo(Files.readAllBytes(source));
        assertThat(ImageProcessingTest.frames(result.original())).isEqualTo(2);
    }

    @Test
    void aGifKeepsItsAnimationAndLoopButLosesCommentsXmpAndTrailingBytes() throws Exception {
        byte[] gif = animatedGif();
        int firstBlock = 13 + ((gif[10] & 0x80) != 0 ? 3 << ((gif[10] & 7) + 1) : 0);
        byte[] comment = TestImages.concat(
                new byte[] {0x21, (byte) 0xfe, 24},
                "<script>PARLEY-GIF-COMM".getBytes(StandardCharsets.ISO_8859_1),
                new byte[] {'>', 0});
        byte[] xmp = TestImages.concat(
                new byte[] {0x21, (byte) 0xff, 11},
                "XMP DataXMP".getBytes(StandardCharsets.ISO_8859_1),
                new byte[] {15},
                "PARLEY-GIF-XMP!".getBytes(StandardCharsets.ISO_8859_1),
                new byte[] {0});
        byte[] hostile = TestImages.concat(
                Arrays.copyOf(gif, firstBlock),
                comment,
                xmp,
                Arrays.copyOfRange(gif, firstBlock, gif.length),
                "PK\u0003\u0004PARLEY-GIF-TRAILING".getBytes(StandardCharsets.ISO_8859_1));
        Path source = TestImages.write(dir, "hostile.gif", hostile);
        assertThat(ImageProcessingTest.frames(source))
                .as("fixture is a valid animated GIF")
                .isEqualTo(2);

        ProcessedImage result = pipeline.process(source, ImageFormat.GIF, dir);

        for (String gone : new String[] {"PARLEY-GIF-COMM", "PARLEY-GIF-XMP", "XMP DataXMP", "PARLEY-GIF-TRAILING"}) {
            assertThat(TestImages.contains(result.original(), gone)).as(gone).isFalse();
        }
        assertThat(TestImages.contains(result.original(), "NETSCAPE2.0"))
                .as("loop kept")
                .isTrue();
        assertThat(ImageProcessingTest.frames(result.original()))
                .as("animation kept")
                .isEqualTo(2);
        byte[] clean = Files.readAllBytes(result.original());
        assertThat(clean[clean.length - 1]).as("ends at the trailer").isEqualTo((byte) 0x3b);
        assertThat(clean).hasSize(gif.length);
        assertThat(result.width()).isEqualTo(80);
        assertThat(result.height()).isEqualTo(60);
        assertThat(result.thumbnailWidth()).isEqualTo(80);
    }

    @Test
    void thumbnailsOfWebpAndGifComeFromTheFirstFrameAndLeaveOnlyTheirFiles() throws Exception {
        Path webp = TestImages.write(dir, "animated.webp", TestImages.resource("animated.webp"));
        Path gif = TestImages.write(dir, "animated.gif", animatedGif());
        Path out = Files.createDirectory(dir.resolve("out"));

        ProcessedImage fromWebp = pipeline.process(webp, ImageFormat.WEBP, out);
        ProcessedImage fromGif = pipeline.process(gif, ImageFormat.GIF, out);

        assertThat(fromWebp.thumbnailWidth()).isEqualTo(64);
        assertThat(fromGif.thumbnailHeight()).isEqualTo(60);
        assertThat(TestImages.read(fromWebp.thumbnail()).getRGB(52, 36) >> 16 & 0xff)
                .as("red block of frame 1")
                .isGreaterThan(200);
        try (var files = Files.list(out)) {
            assertThat(files.toList())
                    .containsExactlyInAnyOrder(
                            fromWebp.original(), fromWebp.thumbnail(), fromGif.original(), fromGif.thumbnail());
        }
    }

    @Test
    void containersWithoutAnImageAreRefused() throws Exception {
        // Header, a 1x1 logical screen without colour table, and the trailer at once.
        Path gif = TestImages.write(
                dir, "empty.gif", TestImages.concat("GIF89a".getBytes(StandardCharsets.ISO_8859_1), new byte[] {
                    1, 0, 1, 0, 0, 0, 0, 0x3b
                }));
        byte[] exifOnly = TestImages.concat(
                "WEBP".getBytes(StandardCharsets.ISO_8859_1),
                riffChunk("EXIF", "PARLEY".getBytes(StandardCharsets.ISO_8859_1)));
        Path webp = TestImages.write(
                dir,
                "exif-only.webp",
                TestImages.concat(
                        "RIFF".getBytes(StandardCharsets.ISO_8859_1),
                        new byte[] {(byte) exifOnly.length, 0, 0, 0},
                        exifOnly));

        assertThatThrownBy(() -> pipeline.process(gif, ImageFormat.GIF, dir))
                .isInstanceOfSatisfying(
                        InvalidImageException.class,
                        e -> assertThat(e.reason()).isEqualTo("The GIF file holds no image."));
        assertThatThrownBy(() -> pipeline.inspect(webp, ImageFormat.WEBP))
                .isInstanceOfSatisfying(
                        InvalidImageException.class,
                        e -> assertThat(e.reason()).isEqualTo("The WebP file does not start with an image chunk."));
    }

    /** Two 80x60 frames, 100 ms each, looping forever (NETSCAPE2.0), written by ImageIO. */
    private static byte[] animatedGif() throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < 2; i++) {
                BufferedImage frame = TestImages.photo(80, 60, i);
                IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(frame), null);
                String format = metadata.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
                IIOMetadataNode control = (IIOMetadataNode)
                        root.getElementsByTagName("GraphicControlExtension").item(0);
                control.setAttribute("delayTime", "10");
                if (i == 0) {
                    IIOMetadataNode extensions = new IIOMetadataNode("ApplicationExtensions");
                    IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
                    loop.setAttribute("applicationID", "NETSCAPE");
                    loop.setAttribute("authenticationCode", "2.0");
                    loop.setUserObject(new byte[] {1, 0, 0});
                    extensions.appendChild(loop);
                    root.appendChild(extensions);
                }
                metadata.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(frame, null, metadata), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
