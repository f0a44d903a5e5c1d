package dev.parley.common;

import java.time.Duration;
import java.util.Map;

/** A failure a client can act on; carries one of the contract's codes and never an HTTP type. */
public class ParleyException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> details;
    /** When the client may try again (429, 503); null when retrying will not help. */
    private final Duration retryAfter;

    public ParleyException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public ParleyException(ErrorCode code, String message, Map<String, Object> details) {
        this(code, message, details, null);
    }

    /** {@code retryAfter} becomes the {@code Retry-After} header, in whole seconds rounded up. */
    public ParleyException(ErrorCode code, String message, Map<String, Object> details, Duration retryAfter) {
        this(code, message, details, retryAfter, null);
    }

    /** With the failure behind it, for the server's logs (the client sees only code and message). */
    protected ParleyException(
            ErrorCode code, String message, Map<String, Object> details, Duration retryAfter, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.details = details == null ? Map.of() : Map.copyOf(details);
        this.retryAfter = retryAfter;
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** Whole seconds until a retry can succeed, rounded up and at least 1; null when none was given. */
    public Long retryAfterSeconds() {
        return retryAfter == null ? null : wholeSeconds(retryAfter);
    }

    static long wholeSeconds(Duration retryAfter) {
        // Rounded up: a client that waits the whole seconds it is told never comes back a moment too early.
        long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    public static ParleyException validation(String field, String message) {
        return new ParleyException(ErrorCode.VALIDATION_FAILED, message, Map.of("field", field));
    }

    public static ParleyException conversationNotFound() {
        return new ParleyException(ErrorCode.CONVERSATION_NOT_FOUND, "Conversation not found");
    }

    public static ParleyException messageNotFound() {
        return new ParleyException(ErrorCode.MESSAGE_NOT_FOUND, "Message not found");
    }

    public static ParleyException userNotFound() {
        return new ParleyException(ErrorCode.USER_NOT_FOUND, "User not found");
    }

    public static ParleyException forbidden(String message) {
        return new ParleyException(ErrorCode.FORBIDDEN, message);
    }
}
