package dev.parley.attachment.image;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Validation, cleaning and thumbnailing of uploaded images; pure Java, no Spring, safe to share between threads.
 *
 * <p>Every entry point first reads the header ({@link #inspect}): the magic number must be the declared type's and
 * the pixel count within the limit, so a decompression bomb is refused before a byte of pixels is allocated. Only
 * then does a decoder run, and it must agree too.
 *
 * <p>Memory: a JPEG (but CMYK) is never decoded whole: its thumbnail comes from 1/64 of the pixels (the DC
 * coefficients) or from a subsampled decode. Other images are decoded whole and, for some steps, copied.
 * {@link ImageInfo#workingBytes()} says how much from the header, and an image whose figure is over the limits'
 * {@code maxWorkingBytes} is refused before decoding. Callers bound how many run at once by that figure. Everything
 * is read from files through bounded buffers; nothing reads a whole upload into an array.
 *
 * <p>Time: {@link #process} takes a {@link Cancellation}; another thread cancelling it stops the decoder or encoder
 * at work within a row, and the call ends with a {@link java.util.concurrent.CancellationException}.
 */
public final class ImagePipeline {

    private static final float ORIGINAL_JPEG_QUALITY = 0.9f;
    private static final float THUMBNAIL_JPEG_QUALITY = 0.85f;
    private static final int BLURHASH_X = 4;
    private static final int BLURHASH_Y = 3;

    private final ImageLimits limits;

    public ImagePipeline(ImageLimits limits) {
        this.limits = limits;
    }

    /**
     * Header only: magic number must match the declared type; dimensions come from the header (as displayed, so a
     * JPEG's EXIF orientation 5 to 8 swaps them); the pixel count is checked before any decode. Reads at most the
     * JPEG segments before the frame header, never the pixel data.
     *
     * @throws InvalidImageException when the file is not an acceptable image of the declared type
     */
    public ImageInfo inspect(Path file, ImageFormat declared) {
        return ImageHeaders.read(file, declared, limits).info(limits.thumbnailSize());
    }

    /** {@link #process(Path, ImageFormat, Path, Cancellation)} without a way to stop it. */
    public ProcessedImage process(Path source, ImageFormat declared, Path workDir) {
        return process(source, declared, workDir, Cancellation.NONE);
    }

    /**
     * Full processing into new files under {@code workDir}, which the caller deletes: validate as {@link #inspect},
     * clean the original so metadata and trailing bytes are gone, thumbnail and BlurHash. How each format is
     * cleaned:
     * <ul>
     * <li>JPEG: its segments rewritten, the compressed pixels copied as they are ({@link JpegSegments}); the
     * orientation stays a tag, the ICC profile is kept. The thumbnail is decoded from the cleaned file at 1/8
     * scale from the DC coefficients ({@link JpegDcDecoder}; baseline and progressive), or with subsampling when
     * the image is small or coded in a way that decoder leaves alone, then turned upright and converted to sRGB.
     * <li>CMYK and YCCK JPEG: decoded (their Adobe transform and profile applied), turned upright and re-encoded as
     * an RGB JPEG, which every viewer shows with the right colours.
     * <li>PNG: decoded, an embedded ICC profile applied and 16-bit samples reduced (8-bit sRGB), re-encoded.
     * <li>WebP, GIF: the container rewritten (animation kept), the first frame decoded for the thumbnail.
     * </ul>
     * The reported width and height are as displayed (a JPEG's orientation applied). On failure or cancellation no
     * file is left behind.
     *
     * @throws InvalidImageException when the file is not an acceptable image of the declared type
     * @throws java.util.concurrent.CancellationException when {@code cancel} was cancelled
     */
    public ProcessedImage process(Path source, ImageFormat declared, Path workDir, Cancellation cancel) {
        ImageHeaders.Header header = ImageHeaders.read(source, declared, limits);
        ImageInfo info = header.info(limits.thumbnailSize());
        List<Path> created = new ArrayList<>();
        try {
            Path original = createFile(workDir, "original-", declared, created);
            BufferedImage upright = switch (declared) {
                case JPEG -> {
                    if (header.channels() == 4) {
                        BufferedImage image =
                                Orientation.apply(ImageCodecs.read(source, header, 1, cancel), header.orientation());
                        ImageCodecs.writeJpeg(image, ORIGINAL_JPEG_QUALITY, original, cancel);
                        yield image;
                    }
                    JpegSegments.clean(source, original, header);
                    cancel.check();
                    // The file that is served is the one decoded: whatever passes here is what viewers get.
                    yield Orientation.apply(decodeReduced(original, header, cancel), header.orientation());
                }
                case PNG -> {
                    BufferedImage image = ColorProfiles.toSrgb(
                            ImageCodecs.read(source, header, 1, cancel), header.iccProfile(), cancel);
                    ImageCodecs.writePng(image, original, cancel);
                    yield image;
                }
                case WEBP, GIF -> {
                    // The decoders of these formats are lenient about damage; the container walk is not.
                    rewriteContainer(source, declared, original);
                    yield ImageCodecs.read(original, header, 1, cancel);
                }
            };
            cancel.check();
            Thumbnail thumbnail = writeThumbnail(upright, info.width(), info.height(), workDir, created, cancel);
            return new ProcessedImage(
                    declared,
                    original,
                    Files.size(original),
                    info.width(),
                    info.height(),
                    thumbnail.file(),
                    thumbnail.mimeType(),
                    thumbnail.width(),
                    thumbnail.height(),
                    thumbnail.blurhash());
        } catch (IOException e) {
            deleteAll(created);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteAll(created);
            throw e;
        }
    }

    /**
     * A JPEG reduced for its thumbnail, as 8-bit sRGB: at 1/8 scale from its DC coefficients when that is still
     * at least the thumbnail's size, else (or when the DC decoder leaves the file alone) through ImageIO with
     * source subsampling, which decodes every block and reports damage.
     */
    private BufferedImage decodeReduced(Path source, ImageHeaders.Header header, Cancellation cancel) {
        int w = header.storedWidth();
        int h = header.storedHeight();
        BufferedImage eighth = null;
        if (Thumbnails.fromDcCoefficients(w, h, limits.thumbnailSize())) {
            try {
                eighth = JpegDcDecoder.decode(source, w, h);
            } catch (IOException | RuntimeException e) {
                // Damaged or unusual entropy data: ImageIO decides below, and reports damage as invalid.
            }
        }
        if (eighth != null) {
            return ColorProfiles.toSrgb(eighth, header.iccProfile(), cancel);
        }
        // ImageIO's JPEG reader applies the profile itself.
        return ImageCodecs.read(source, header, Thumbnails.subsampling(w, h, limits.thumbnailSize()), cancel);
    }

    private void rewriteContainer(Path source, ImageFormat format, Path target) {
        if (format == ImageFormat.WEBP) {
            WebpContainer.clean(source, target, limits.maxPixels());
        } else {
            GifBlocks.clean(source, target, limits.maxPixels());
        }
    }

    /** JPEG for opaque images, PNG when some pixel is transparent. */
    private Thumbnail writeThumbnail(
            BufferedImage upright,
            int sourceWidth,
            int sourceHeight,
            Path workDir,
            List<Path> created,
            Cancellation cancel)
            throws IOException {
        Dimension size = Thumbnails.fit(sourceWidth, sourceHeight, limits.thumbnailSize());
        BufferedImage small = Thumbnails.scale(upright, size.width, size.height);
        boolean transparent = Thumbnails.hasTransparency(small);
        ImageFormat format = transparent ? ImageFormat.PNG : ImageFormat.JPEG;
        Path file = createFile(workDir, "thumbnail-", format, created);
        if (transparent) {
            ImageCodecs.writePng(small, file, cancel);
        } else {
            ImageCodecs.writeJpeg(small, THUMBNAIL_JPEG_QUALITY, file, cancel);
        }
        // Transparent areas count as white, as a chat client shows them, not as the black their RGB holds.
        BufferedImage placeholder = transparent ? ImageCodecs.opaque(small) : small;
        return new Thumbnail(
                file, format.mimeType(), size.width, size.height, BlurHash.encode(placeholder, BLURHASH_X, BLURHASH_Y));
    }

    private static Path createFile(Path dir, String prefix, ImageFormat format, List<Path> created) throws IOException {
        Path file = Files.createTempFile(dir, prefix, "." + format.extension());
        created.add(file);
        return file;
    }

    private static void deleteAll(List<Path> files) {
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // Best effort: the caller owns workDir and removes it as a whole.
            }
        }
    }
}
