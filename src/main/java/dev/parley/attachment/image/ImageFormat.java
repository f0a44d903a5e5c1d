package dev.parley.attachment.image;

import java.util.Locale;
import java.util.Optional;

/** The image types Parley accepts, by their MIME type. */
public enum ImageFormat {
    JPEG("image/jpeg", "jpg"),
    PNG("image/png", "png"),
    WEBP("image/webp", "webp"),
    GIF("image/gif", "gif");

    private final String mimeType;
    private final String extension;

    ImageFormat(String mimeType, String extension) {
        this.mimeType = mimeType;
        this.extension = extension;
    }

    public String mimeType() {
        return mimeType;
    }

    /** File name extension without the dot, for keys and work files. */
    public String extension() {
        return extension;
    }

    /** The format of a declared content type; parameters ({@code ; charset=…}) and case are ignored. */
    public static Optional<ImageFormat> ofMimeType(String mime) {
        if (mime == null) {
            return Optional.empty();
        }
        int semicolon = mime.indexOf(';');
        String bare =
                (semicolon < 0 ? mime : mime.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
        for (ImageFormat format : values()) {
            if (format.mimeType.equals(bare)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }
}
