package dev.parley.attachment.image;

/**
 * The bytes are not an acceptable image of the declared type. {@link #reason()} is a short sentence meant for the
 * API's {@code INVALID_ATTACHMENT} details; it never carries file paths or parser internals.
 */
public class InvalidImageException extends RuntimeException {

    private final String reason;

    public InvalidImageException(String reason) {
        this(reason, null);
    }

    public InvalidImageException(String reason, Throwable cause) {
        super(reason, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
