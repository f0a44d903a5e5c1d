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
 * <p>Memory: {@link #thumbnail} of a JPEG holds 1/64 of the pixels. {@link #process} holds the whole decoded image
 * and, for some steps, a copy: {@link ImageInfo#workingBytes()} says how much from the header, and an image whose
 * figure is over the limits' {@code maxWorkingBytes} is refused before decoding. Callers bound how many run at
 * once by that figure. Everything is read from files through bounded buffers; nothing reads a whole upload into an
 * array.
 *
 * <p>Time: {@link #process} takes a {@link Cancellation}; another thread cancelling it stops the decoder or encoder
 * at work within a row, and the call ends with a {@link java.util.concurrent.CancellationException}.
 */
public final class ImagePipeline {

    private static final float ORIGINAL_JPEG_QUALITY = 0.9f;
    private static final float THUMBNAIL_JPEG_QUALITY = 0.85f;
    private static final int BLURHASH_X = 4;
    private static final int BLURHASH_Y = 3;
    /** A subsampled decode for a thumbnail keeps at least this many times the thumbnail's size, then averages. */
    private static final int SUBSAMPLED_MARGIN = 3;

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
        return ImageHeaders.read(file, declared, limits).info();
    }

    /** {@link #process(Path, ImageFormat, Path, Cancellation)} without a way to stop it. */
    public ProcessedImage process(Path source, ImageFormat declared, Path workDir) {
        return process(source, declared, workDir, Cancellation.NONE);
    }

    /**
     * Full processing into new files under {@code workDir}, which the caller deletes: validate as {@link #inspect},
     * decode, apply EXIF orientation (JPEG) and an embedded ICC profile (JPEG, PNG: pixels to 8-bit sRGB), re-encode
     * (JPEG, PNG) or rewrite the container (WebP, GIF: animation kept) so metadata and trailing bytes are gone,
     * thumbnail and BlurHash. On failure or cancellation no file is left behind.
     *
     * @throws InvalidImageException when the file is not an acceptable image of the declared type
     * @throws java.util.concurrent.CancellationException when {@code cancel} was cancelled
     */
    public ProcessedImage process(Path source, ImageFormat declared, Path workDir, Cancellation cancel) {
        ImageHeaders.Header header = ImageHeaders.read(source, declared, limits);
        List<Path> created = new ArrayList<>();
        try {
            Path original = createFile(workDir, "original-", declared, created);
            BufferedImage upright = switch (declared) {
                case JPEG -> {
                    // ImageIO converts from an embedded ICC profile to sRGB; the file is written without one.
                    BufferedImage image = Orientation.apply(ImageCodecs.read(source, header, 1, cancel),
                            header.orientation());
                    ImageCodecs.writeJpeg(image, ORIGINAL_JPEG_QUALITY, original, cancel);
                    yield image;
                }
                case PNG -> {
                    BufferedImage image = ColorProfiles.toSrgb(ImageCodecs.read(source, header, 1, cancel),
                            header.iccProfile(), cancel);
                    ImageCodecs.writePng(image, original, cancel);
                    yield image;
                }
                case WEBP, GIF -> {
                    rewriteContainer(source, declared, original);
                    yield ImageCodecs.read(original, header, 1, cancel);
                }
            };
            cancel.check();
            Thumbnail thumbnail = writeThumbnail(upright, upright.getWidth(), upright.getHeight(), workDir, created,
                    cancel);
            return new ProcessedImage(declared, original, Files.size(original), upright.getWidth(),
                    upright.getHeight(), thumbnail.file(), thumbnail.mimeType(), thumbnail.width(),
                    thumbnail.height(), thumbnail.blurhash());
        } catch (IOException e) {
            deleteAll(created);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteAll(created);
            throw e;
        }
    }

    /**
     * Only the thumbnail, the fast way: a baseline JPEG is decoded at 1/8 scale from its DC coefficients, other
     * JPEGs and PNGs with source subsampling when they are much larger than the thumbnail. Validates as
     * {@link #inspect} and decodes, so a file that passes here is an image; it does not prove the whole file clean,
     * which is {@link #process}'s job.
     *
     * @throws InvalidImageException when the file is not an acceptable image of the declared type
     */
    public Thumbnail thumbnail(Path source, ImageFormat declared, Path workDir) {
        ImageHeaders.Header header = ImageHeaders.read(source, declared, limits);
        ImageInfo info = header.info();
        List<Path> created = new ArrayList<>();
        try {
            BufferedImage reduced;
            if (declared == ImageFormat.WEBP || declared == ImageFormat.GIF) {
                // The decoders of these formats are lenient about damage; the container walk is not.
                Path clean = createFile(workDir, "check-", declared, created);
                rewriteContainer(source, declared, clean);
                reduced = ImageCodecs.read(clean, header, 1, Cancellation.NONE);
            } else {
                reduced = decodeReduced(source, header);
            }
            BufferedImage upright = Orientation.apply(reduced, header.orientation());
            Thumbnail thumbnail = writeThumbnail(upright, info.width(), info.height(), workDir, created,
                    Cancellation.NONE);
            created.remove(thumbnail.file());
            return thumbnail;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteAll(created);
        }
    }

    private BufferedImage decodeReduced(Path source, ImageHeaders.Header header) {
        int w = header.storedWidth();
        int h = header.storedHeight();
        Dimension target = Thumbnails.fit(w, h, limits.thumbnailSize());
        if (header.format() == ImageFormat.JPEG && (w + 7) / 8 >= target.width && (h + 7) / 8 >= target.height) {
            try {
                BufferedImage eighth = JpegDcDecoder.decode(source, w, h);
                if (eighth != null) {
                    return ColorProfiles.toSrgb(eighth, header.iccProfile());
                }
            } catch (IOException | RuntimeException e) {
                // Damaged or unusual entropy data: ImageIO decides below, and reports damage as invalid.
            }
        }
        int subsampling = Math.max(1, Math.min(w / (SUBSAMPLED_MARGIN * target.width),
                h / (SUBSAMPLED_MARGIN * target.height)));
        BufferedImage image = ImageCodecs.read(source, header, subsampling, Cancellation.NONE);
        // ImageIO applies a JPEG's profile itself, not a PNG's.
        return header.format() == ImageFormat.PNG ? ColorProfiles.toSrgb(image, header.iccProfile()) : image;
    }

    private void rewriteContainer(Path source, ImageFormat format, Path target) {
        if (format == ImageFormat.WEBP) {
            WebpContainer.clean(source, target, limits.maxPixels());
        } else {
            GifBlocks.clean(source, target, limits.maxPixels());
        }
    }

    /** JPEG for opaque images, PNG when some pixel is transparent. */
    private Thumbnail writeThumbnail(BufferedImage upright, int sourceWidth, int sourceHeight, Path workDir,
            List<Path> created, Cancellation cancel) throws IOException {
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
        return new Thumbnail(file, format.mimeType(), size.width, size.height,
                BlurHash.encode(placeholder, BLURHASH_X, BLURHASH_Y), sourceWidth, sourceHeight);
    }

    private static Path createFile(Path dir, String prefix, ImageFormat format, List<Path> created)
            throws IOException {
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
