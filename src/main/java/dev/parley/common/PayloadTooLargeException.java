package dev.parley.common;

import java.io.IOException;

/**
 * A request body ran past the API's size limit while it was being read. An {@link IOException}, as the stream
 * that throws it is one; whatever reader it crosses (Jackson, a form parser) wraps it, and the exception
 * handler finds it in the cause chain and answers 413 {@code PAYLOAD_TOO_LARGE}.
 */
public final class PayloadTooLargeException extends IOException {

    private final long limit;

    public PayloadTooLargeException(long limit) {
        super("The request body is larger than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** The exception among {@code failure} and its causes, if one is there. */
    public static PayloadTooLargeException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PayloadTooLargeException tooLarge) {
                return tooLarge;
            }
        }
        return null;
    }
}
