package dev.parley.config;

import dev.parley.common.ApiError;
import dev.parley.common.ErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract's error body for answers given outside Spring MVC (filters, the HTTP server's own refusals), where
 * the exception handler cannot answer. Written whole with its length and flushed: the client has it at once.
 */
final class ErrorBodies {

    private ErrorBodies() {}

    static void write(
            HttpServletResponse response, JsonMapper json, ErrorCode code, String message, Map<String, Object> details)
            throws IOException {
        byte[] body = json.writeValueAsBytes(ApiError.of(code, message, details));
        response.setStatus(code.status());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }
}
