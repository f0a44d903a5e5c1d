package dev.parley.common;

/** The contract's error codes, each with the HTTP status it maps to. */
public enum ErrorCode {
    VALIDATION_FAILED(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    USER_BLOCKED(403),
    /** Login or refresh of a suspended account; {@code details.until} says when the suspension ends. */
    ACCOUNT_SUSPENDED(403),
    /** Under the {@code contacts} policy: a direct chat or group add with someone who is not a contact. */
    NOT_A_CONTACT(403),
    CONVERSATION_NOT_FOUND(404),
    MESSAGE_NOT_FOUND(404),
    USER_NOT_FOUND(404),
    ATTACHMENT_NOT_FOUND(404),
    /** A report that does not exist, or that the caller may not see. */
    REPORT_NOT_FOUND(404),
    /** Another user's device is "not found" too. */
    DEVICE_NOT_FOUND(404),
    NOT_FOUND(404),
    /** An export that does not exist or is another user's. */
    EXPORT_NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    CONFLICT(409),
    ATTACHMENT_TOO_LARGE(413),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    MESSAGE_TOO_LONG(422),
    INVALID_ATTACHMENT(422),
    TOO_MANY_REACTIONS(422),
    /** Moderation (content rules, the pre-send hook) refused the content; {@code details.reason} says why. */
    CONTENT_REJECTED(422),
    /** A search inside an end-to-end encrypted conversation: the server cannot read it. */
    SEARCH_UNAVAILABLE(422),
    RATE_LIMIT_EXCEEDED(429),
    INTERNAL_ERROR(500),
    SERVICE_UNAVAILABLE(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
