package dev.parley.attachment.image;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;
import javax.imageio.stream.FileImageOutputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Decoding and encoding through ImageIO, with the reader chosen by the declared format, never by probing. */
final class ImageCodecs {

    static {
        // Readers work from the file itself; a disk cache would only copy the upload once more.
        ImageIO.setUseCache(false);
        // ImageIO finds plugins through the context class loader of the thread that first uses it; in a packaged
        // Spring Boot jar that may not see the nested jars. Registering the WebP reader by hand does not depend on
        // which thread (a job worker, a request) comes first.
        IIORegistry.getDefaultInstance().registerServiceProvider(new WebPImageReaderSpi());
    }

    /**
     * TwelveMonkeys' JPEG reader, for CMYK and YCCK JPEGs only: it applies their Adobe transform and ICC profile
     * (or a CMYK default), where the JDK's reader returns wrong colours. It wraps the JDK's reader, which it finds
     * in the registry it is registered in: a private registry holding just the two. Every other JPEG stays on the
     * JDK's reader: the copy ImageIO may have found on the class path (it orders itself first) is taken out of
     * the global registry, so which reader a JPEG gets does not depend on how the application was packaged.
     */
    private static final ImageReaderSpi CMYK_JPEG = cmykJpegReader();

    static {
        IIORegistry global = IIORegistry.getDefaultInstance();
        JPEGImageReaderSpi scanned = global.getServiceProviderByClass(JPEGImageReaderSpi.class);
        if (scanned != null) {
            global.deregisterServiceProvider(scanned, ImageReaderSpi.class);
        }
    }

    private static ImageReaderSpi cmykJpegReader() {
        ServiceRegistry registry =
                new ServiceRegistry(List.<Class<?>>of(ImageReaderSpi.class).iterator());
        Iterator<ImageReaderSpi> installed =
                IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true);
        while (installed.hasNext()) {
            ImageReaderSpi spi = installed.next();
            if (spi.getClass().getName().equals("com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi")) {
                registry.registerServiceProvider(spi, ImageReaderSpi.class);
            }
        }
        JPEGImageReaderSpi twelveMonkeys = new JPEGImageReaderSpi();
        registry.registerServiceProvider(twelveMonkeys, ImageReaderSpi.class);
        return twelveMonkeys;
    }

    private ImageCodecs() {}

    /**
     * Decodes the first image of {@code file} with the reader for its header's format (and, for JPEG, its colour
     * components), keeping every {@code subsampling}-th pixel of each row and column (1 for all). A decoder
     * failure, a warning about damaged data or a size other than the header's is an {@link InvalidImageException};
     * a cancelled job a {@link CancellationException}.
     */
    static BufferedImage read(Path file, ImageHeaders.Header header, int subsampling, Cancellation cancel) {
        ImageFormat format = header.format();
        int width = header.storedWidth();
        int height = header.storedHeight();
        ImageReader reader = reader(header);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        cancel.check();
        cancel.using(reader);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            boolean gif = format == ImageFormat.GIF;
            reader.setInput(in, true, !gif);
            // A GIF frame may be smaller than the logical screen; it is drawn onto the screen below.
            if (!gif && (reader.getWidth(0) != width || reader.getHeight(0) != height)) {
                throw new InvalidImageException(
                        "The " + ImageHeaders.describe(format) + " image data does not match its header.");
            }
            ImageReadParam param = reader.getDefaultReadParam();
            if (subsampling > 1) {
                param.setSourceSubsampling(subsampling, subsampling, 0, 0);
            }
            BufferedImage image = reader.read(0, param);
            cancel.check();
            if (gif && subsampling == 1 && (image.getWidth() != width || image.getHeight() != height)) {
                image = onGifScreen(image, reader.getImageMetadata(0), width, height);
            }
            if (warnings.stream().anyMatch(ImageCodecs::damaged)) {
                throw new InvalidImageException(
                        "The " + ImageHeaders.describe(format) + " image data is truncated or corrupt.");
            }
            return image;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidImageException || e instanceof CancellationException) {
                throw (RuntimeException) e;
            }
            cancel.check();
            throw new InvalidImageException(
                    "The " + ImageHeaders.describe(format) + " image data could not be decoded.", e);
        } finally {
            cancel.using(null);
            reader.dispose();
        }
    }

    /** The first frame where the GIF places it on its logical screen; the rest of the screen stays transparent. */
    private static BufferedImage onGifScreen(BufferedImage frame, IIOMetadata metadata, int width, int height) {
        int left = 0;
        int top = 0;
        Node node = metadata.getAsTree("javax_imageio_gif_image_1.0").getFirstChild();
        for (; node != null; node = node.getNextSibling()) {
            if (node.getNodeName().equals("ImageDescriptor") && node instanceof Element descriptor) {
                left = Integer.parseInt(descriptor.getAttribute("imageLeftPosition"));
                top = Integer.parseInt(descriptor.getAttribute("imageTopPosition"));
            }
        }
        BufferedImage screen = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = screen.createGraphics();
        try {
            g.drawImage(frame, left, top, null);
        } finally {
            g.dispose();
        }
        return screen;
    }

    /** Warnings about colour profiles or embedded thumbnails are harmless; the rest say the pixels are incomplete. */
    private static boolean damaged(String warning) {
        String w = warning == null ? "" : warning.toLowerCase(Locale.ROOT);
        return !(w.contains("profile") || w.contains("thumbnail"));
    }

    private static ImageReader reader(ImageHeaders.Header header) {
        ImageFormat format = header.format();
        if (format == ImageFormat.JPEG && header.channels() == 4) {
            try {
                return CMYK_JPEG.createReaderInstance();
            } catch (IOException e) {
                throw new IllegalStateException("The CMYK JPEG reader cannot be created", e);
            }
        }
        Iterator<ImageReader> readers =
                ImageIO.getImageReadersByFormatName(format.extension().equals("jpg") ? "jpeg" : format.extension());
        if (!readers.hasNext()) {
            throw new IllegalStateException("No ImageIO reader for " + format + " on the class path");
        }
        return readers.next();
    }

    /** Writes an opaque image as a baseline JPEG of the given quality (0..1), without any metadata but JFIF. */
    static void writeJpeg(BufferedImage image, float quality, Path target, Cancellation cancel) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        cancel.using(writer);
        try (ImageOutputStream out = output(target)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(opaque(image), null, null), param);
        } finally {
            cancel.using(null);
            writer.dispose();
        }
        cancel.check();
    }

    /** Writes a PNG without ancillary chunks (no text, no EXIF), keeping the image's alpha and bit depth. */
    static void writePng(BufferedImage image, Path target, Cancellation cancel) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        cancel.using(writer);
        try (ImageOutputStream out = output(target)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), writer.getDefaultWriteParam());
        } finally {
            cancel.using(null);
            writer.dispose();
        }
        cancel.check();
    }

    /** Writes straight to the file (RandomAccessFile), not through a memory cache of the whole output. */
    private static ImageOutputStream output(Path target) throws IOException {
        Files.deleteIfExists(target);
        return new FileImageOutputStream(target.toFile());
    }

    /** The JPEG writer refuses alpha; flatten onto white (what a viewer shows for a transparent area). */
    static BufferedImage opaque(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.drawImage(image, 0, 0, Color.WHITE, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }
}
