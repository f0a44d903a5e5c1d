package dev.parley.common;

import java.util.Map;

/** A failure a client can act on; carries one of the contract's codes and never an HTTP type. */
public class ParleyException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> details;

    public ParleyException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public ParleyException(ErrorCode code, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.code = code;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
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
