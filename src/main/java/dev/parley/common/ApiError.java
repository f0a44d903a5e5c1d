package dev.parley.common;

import java.util.Map;

/** The contract's error body: {@code {"code", "message", "details"}}. */
public record ApiError(String code, String message, Map<String, Object> details) {

    public static ApiError of(ErrorCode code, String message, Map<String, Object> details) {
        return new ApiError(code.name(), message, details == null ? Map.of() : details);
    }
}
